/** Keeps only the last `max` bytes of a stream: untrusted code may print without end. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  total = 0;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.max && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
    }
  }

  text(): string {
    const buf = Buffer.concat(this.chunks);
    const tail = buf.subarray(Math.max(0, buf.length - this.max)).toString("utf8");
    return this.total > this.max ? `[... ${this.total - this.max} bytes cut]\n${tail}` : tail;
  }
}
