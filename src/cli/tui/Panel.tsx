/**
 * A bordered panel with a bold title line; every dashboard panel renders inside one.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';

export interface PanelProps {
  readonly title: string;
  /** Right of the title, dimmed (counts, status). */
  readonly subtitle?: string;
  readonly width?: number | string;
  readonly flexGrow?: number;
  readonly children?: ReactNode;
}

export function Panel({ title, subtitle, width, flexGrow, children }: PanelProps) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" paddingX={1} {...(width !== undefined ? { width } : {})} {...(flexGrow !== undefined ? { flexGrow } : {})}>
      <Text wrap="truncate">
        <Text bold color="cyan">
          {title}
        </Text>
        {subtitle ? <Text dimColor>{'  ' + subtitle}</Text> : null}
      </Text>
      {children}
    </Box>
  );
}
