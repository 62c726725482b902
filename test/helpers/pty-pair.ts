import { spawn, type ChildProcess } from 'node:child_process';

/** Starts socat with two linked pseudo-terminals and returns their /dev/pts paths from its stderr. */
export function startPtyPair(): Promise<{ socat: ChildProcess; paths: [string, string] }> {
  return new Promise((resolve, reject) => {
    const socat = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const paths: string[] = [];
    let stderr = '';

    socat.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error('socat not found: run scripts/setup.sh, which installs the Debian package socat')
          : error,
      );
    });
    socat.once('exit', (code) => reject(new Error(`socat exited with code ${code} before both PTYs were ready: ${stderr}`)));
    socat.stderr.setEncoding('utf8');
    socat.stderr.on('data', (text: string) => {
      stderr += text;
      for (const match of text.matchAll(/PTY is (\/dev\/pts\/\d+)/g)) paths.push(match[1] ?? '');
      if (paths.length === 2) resolve({ socat, paths: [paths[0] ?? '', paths[1] ?? ''] });
    });
  });
}
