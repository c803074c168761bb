/**
 * Text from files and arguments, made safe to print on a terminal. A name in a scenario, a trace or
 * an argument may hold control characters: an escape sequence (`\u001b[31m`) would recolour,
 * retitle or rewrite the user's terminal, a carriage return or a bidirectional override would hide
 * what is printed. They are shown escaped instead (`\x1b`, `\r`, `\u202e`), and so a one-line
 * message stays one line.
 */

/** C0 controls but tab and newline, DEL, C1 controls, and the bidirectional formatting characters. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_OR_NEWLINE = /[\u0000-\u0008\n\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with every control character escaped, newlines too: one line. */
export function printable(s: string): string {
  return s.replace(UNSAFE_OR_NEWLINE, escape);
}

/** `s` with every control character escaped but newlines (and tabs): text of several lines. */
export function printableLines(s: string): string {
  return s.replace(UNSAFE, escape);
}

/**
 * What an exception says, whatever was thrown: an `Error`'s message, or the thrown value as text.
 * Never throws itself (a thrown object's `message` getter or `toString` may).
 */
export function errorMessage(e: unknown): string {
  try {
    if (e instanceof Error) return e.message || e.name;
    if (e !== null && typeof e === 'object' && 'message' in e && typeof e.message === 'string') return e.message;
    return String(e);
  } catch {
    return 'an exception that cannot be shown as text';
  }
}
