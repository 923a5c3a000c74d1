import { CliError } from './api-client';

/** Reads what is typed on a terminal up to Enter, without echoing it. */
function typeHidden(input: NodeJS.ReadStream, prompt: NodeJS.WriteStream): Promise<string> {
  prompt.write('API token (input hidden): ');
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (settle: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt.write('\n');
      settle();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(() => resolve(typed));
        if (char === '\u0003' || char === '\u0004') return finish(() => reject(new CliError('login cancelled')));
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    input.on('data', onData);
  });
}

async function readAll(input: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += chunk;
  return text;
}

/** The token `lepton login` reads from stdin: typed (hidden) on a terminal, or the first line piped in. */
export async function readToken(
  input: NodeJS.ReadStream = process.stdin,
  prompt: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  const text = input.isTTY ? await typeHidden(input, prompt) : await readAll(input);
  const token = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find(Boolean);
  if (!token)
    throw new CliError('No token on stdin: paste it when asked, or pipe it in (lepton login < .data/admin-token)');
  return token;
}
