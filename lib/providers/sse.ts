/**
 * Server-sent events from a fetch body (the WHATWG event-stream format): yields one
 * `{event, data}` per blank-line-terminated block. Comments and `id:`/`retry:` fields are skipped;
 * providers do not use them.
 */
export interface SseEvent {
  event: string;
  data: string;
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Normalised over the whole buffer so a CRLF split across two chunks still joins up.
      buffer = (buffer + decoder.decode(value, { stream: true })).replace(/\r\n/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) yield event;
      }
    }
  } finally {
    // Stopping early (message_stop seen, or an error) must not leave the connection open.
    await reader.cancel().catch(() => {});
  }
  const last = parseBlock((buffer + decoder.decode()).replace(/\r\n/g, "\n"));
  if (last) yield last;
}

function parseBlock(block: string): SseEvent | null {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  return data.length ? { event, data: data.join("\n") } : null;
}
