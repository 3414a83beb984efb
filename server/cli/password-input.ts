import { passwordProblem } from '../access/passwords.js';
import { CommandError } from './store.js';
import { UsageError } from './usage.js';

/**
 * A password given as an option would be kept in shell history and shown to anyone listing the
 * machine's processes: refused, saying how to give it instead.
 */
export function refusePasswordOption(command: string, args: readonly string[]): void {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new UsageError(
      `vantage ${command}: a password is never taken as an argument (shell history and the process list would show it): type it when asked, or send it on standard input, e.g. vantage ${command} … < password-file`,
    );
  }
}

/**
 * The password: the first line of standard input when it is not a terminal (a script, a pipe or a
 * file), else typed twice with echo off. Checked for length (NCSC: length over complexity).
 */
export async function readNewPassword(
  input: NodeJS.ReadStream = process.stdin,
  prompt: (text: string) => void = (text) => process.stderr.write(text),
): Promise<string> {
  let password: string;
  if (!input.isTTY) {
    password = firstLine(await readAll(input));
    if (password === '')
      throw new CommandError('no password on standard input: send it as one line, or run this in a terminal');
  } else {
    password = await typed(input, prompt, 'New password: ');
    const again = await typed(input, prompt, 'The same password again: ');
    if (again !== password) throw new CommandError('the two passwords are not the same: nothing was changed');
  }
  const problem = passwordProblem(password);
  if (problem) throw new CommandError(`${problem}: nothing was changed`);
  return password;
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

function readAll(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    input.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
    input.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    input.once('error', reject);
  });
}

/** One line typed at a terminal without echo: Enter ends it, Backspace takes a character back, Ctrl-C stops. */
function typed(input: NodeJS.ReadStream, prompt: (text: string) => void, question: string): Promise<string> {
  // Echo off before the question shows: what is typed the moment it appears is never echoed.
  input.setRawMode(true);
  prompt(question);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new CommandError('stopped: nothing was changed'));
        if (char === '\u007f' || char === '\b') text = [...text].slice(0, -1).join('');
        else text += char;
      }
    };
    input.on('data', onData);
  });
}
