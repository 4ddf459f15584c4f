/**
 * The always-visible key help, or the pending confirmation question in its place (highlighted).
 */
import { Text } from 'ink';

export interface HelpLineProps {
  /** A question waiting for y/anything else; null shows the key help. */
  readonly prompt: string | null;
}

export function HelpLine({ prompt }: HelpLineProps) {
  if (prompt !== null) {
    return (
      <Text wrap="truncate">
        <Text bold inverse color="red">
          {` ${prompt} `}
        </Text>
        <Text> y = yes, any other key = cancel</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate">
      <Text bold>k</Text> kill switch  <Text bold>p</Text> pause new entries  <Text bold>r</Text> resume  <Text bold>q</Text> quit
    </Text>
  );
}
