/**
 * The replay refuses a day rather than replay it wrong. The message names what was wrong and where (file, line,
 * column); `file` and `line` are also fields so callers and tests need not parse the text.
 */
export class ReplayRefused extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'ReplayRefused';
  }
}
