/** An agent's stdout+stderr kept within a cap: the first `head` bytes and the last `tail` bytes. */
export class CappedTranscript {
  private readonly headBuf: Buffer[] = [];
  private headLen = 0;
  private tailBuf = Buffer.alloc(0);
  private total = 0;

  constructor(
    private readonly head: number,
    private readonly tail: number,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let c = chunk;
    if (this.headLen < this.head) {
      const take = c.subarray(0, this.head - this.headLen);
      this.headBuf.push(take);
      this.headLen += take.length;
      c = c.subarray(take.length);
    }
    if (!c.length) return;
    const joined = Buffer.concat([this.tailBuf, c]);
    this.tailBuf = joined.subarray(Math.max(0, joined.length - this.tail));
  }

  get bytes(): number {
    return this.total;
  }

  /** Text with a marker where bytes were dropped; invalid UTF-8 and NULs replaced. */
  text(): string {
    const dropped = this.total - this.headLen - this.tailBuf.length;
    const head = Buffer.concat(this.headBuf).toString("utf8");
    const tail = this.tailBuf.toString("utf8");
    const out = dropped > 0 ? `${head}\n[... ${dropped} bytes of transcript dropped ...]\n${tail}` : head + tail;
    return out.replace(/\0/g, "\uFFFD");
  }
}
