import { Writable } from 'node:stream';

/** A stream that keeps what a command writes, for asserting on a CLI's standard output or error. */
export class CapturedOutput extends Writable {
  text = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }

  /** The non-empty lines written so far. */
  lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }
}
