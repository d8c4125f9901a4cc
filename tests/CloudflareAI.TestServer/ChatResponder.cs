using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace CloudflareAI.TestServer
{
    /// <summary>How a fault bends an otherwise normal answer.</summary>
    internal sealed class AnswerShape
    {
        public static readonly AnswerShape Normal = new();

        /// <summary>Stop after half the deltas (half the JSON body when not streaming). The response
        /// declares a Content-Length it never reaches, so the server closes the connection (FIN, after
        /// every byte written has been sent) and the client sees the body end early. Aborting the
        /// connection instead would send a RST that can discard data the client has not read yet.</summary>
        public bool Truncate { get; init; }

        /// <summary>With <see cref="Truncate"/>: a complete, well-framed HTTP response that simply holds
        /// only the first half (no [DONE] in a stream; invalid JSON otherwise).</summary>
        public bool CleanEnd { get; init; }

        /// <summary>Pause this long after the first event (the first half of the body when not streaming).</summary>
        public int PauseAfterFirstMs { get; init; }
    }

    /// <summary>Writes successful chat answers: one chat.completion JSON body, or an SSE stream of
    /// chat.completion.chunk events with the quirks of the flavour.</summary>
    internal static class ChatResponder
    {
        // With no delay asked for, a long stream is flushed in batches: one write per event would make a
        // 100,000-event benchmark measure syscalls instead of the client's parser.
        private const int FlushBatch = 64;

        private static readonly byte[] Padding = Encoding.ASCII.GetBytes("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

        public static async Task WriteAsync(HttpContext ctx, ChatExchange x, AnswerShape shape)
        {
            if (x.Stream) await StreamAsync(ctx, x, shape);
            else await CompleteAsync(ctx, x, shape);
        }

        private static async Task CompleteAsync(HttpContext ctx, ChatExchange x, AnswerShape shape)
        {
            var body = new ArrayBufferWriter<byte>(512);
            var json = new JsonSink(body);
            json.Raw("{\"id\":"u8).String(x.Id)
                .Raw(",\"object\":\"chat.completion\",\"created\":"u8).Number(x.Created)
                .Raw(",\"model\":"u8).String(x.Model)
                .Raw(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"u8);
            json.Raw("\""u8);
            for (int i = 0; i < x.ContentCount; i++) json.StringContent(x.ContentPiece(i));
            json.Raw("\""u8);
            if (x.Reasoning is not null)
            {
                json.Raw(x.Flavour == Flavour.WorkersAI ? ",\"reasoning_content\":"u8 : ",\"reasoning\":"u8).String(x.Reasoning);
            }
            json.Raw("},\"finish_reason\":"u8).String(x.FinishReason).Raw("}],"u8);
            WriteUsage(json, x, x.DeltaCount);
            json.Raw("}"u8);

            HttpResponse response = ctx.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json";
            response.ContentLength = body.WrittenCount;
            CancellationToken ct = ctx.RequestAborted;
            ReadOnlyMemory<byte> bytes = body.WrittenMemory;

            if (shape.Truncate)
            {
                int half = bytes.Length / 2;
                if (shape.CleanEnd) response.ContentLength = half;
                await response.Body.WriteAsync(bytes.Slice(0, half), ct);
                return;
            }

            if (shape.PauseAfterFirstMs > 0)
            {
                int half = bytes.Length / 2;
                await response.Body.WriteAsync(bytes.Slice(0, half), ct);
                await response.Body.FlushAsync(ct);
                await Task.Delay(shape.PauseAfterFirstMs, ct);
                bytes = bytes.Slice(half);
            }
            await response.Body.WriteAsync(bytes, ct);
        }

        private static async Task StreamAsync(HttpContext ctx, ChatExchange x, AnswerShape shape)
        {
            HttpResponse response = ctx.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";

            CancellationToken ct = ctx.RequestAborted;
            PipeWriter pipe = response.BodyWriter;
            var json = new JsonSink(pipe);
            ReadOnlySpan<byte> eolSpan = x.Crlf ? "\r\n"u8 : "\n"u8;
            byte[] eol = eolSpan.ToArray();
            bool workers = x.Flavour == Flavour.WorkersAI;
            // OpenAI puts "usage":null on every chunk once include_usage is asked for; Workers AI puts a
            // growing usage object on every chunk whether asked or not.
            bool usageOnChunks = workers || x.IncludeUsage;
            byte[] prefix = ChunkPrefix(x);

            int total = x.DeltaCount;
            int stopAfter = shape.Truncate ? Math.Max(1, total / 2) : int.MaxValue;
            if (shape.Truncate && !shape.CleanEnd) response.ContentLength = FullStreamLengthBound(x, prefix.Length);
            int flushEvery = x.ChunkDelayMs > 0 || shape.PauseAfterFirstMs > 0 || total <= FlushBatch ? 1 : FlushBatch;

            if (workers)
            {
                pipe.Write(": keep-alive"u8);
                pipe.Write(eol);
                pipe.Write(eol);
            }

            int chunksSent = 0;
            // Delays sit between chunk events (content deltas and the finish chunk), never before the first.
            async Task BeforeChunkAsync()
            {
                if (chunksSent == 1 && shape.PauseAfterFirstMs > 0) await Task.Delay(shape.PauseAfterFirstMs, ct);
                if (chunksSent > 0 && x.ChunkDelayMs > 0) await Task.Delay(x.ChunkDelayMs, ct);
            }

            // A reply with nothing to say still announces the assistant role in one (empty) delta.
            if (total == 0 && !shape.Truncate)
            {
                BeginEvent(pipe);
                json.Raw(prefix).Raw("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]"u8);
                if (usageOnChunks) ChunkUsage(json, x, 0, workers);
                json.Raw("}"u8);
                EndEvent(pipe, eol);
                await pipe.FlushAsync(ct);
                chunksSent++;
            }

            for (int i = 0; i < total && i < stopAfter; i++)
            {
                await BeforeChunkAsync();
                bool reasoning = i < x.ReasoningCount;
                BeginEvent(pipe);
                json.Raw(prefix).Raw("\"choices\":[{\"index\":0,\"delta\":{"u8);
                if (i == 0) json.Raw("\"role\":\"assistant\","u8);
                if (reasoning)
                {
                    json.Raw(workers ? "\"reasoning_content\":"u8 : "\"reasoning\":"u8).String(x.ReasoningPiece(i));
                }
                else
                {
                    json.Raw("\"content\":"u8).String(x.ContentPiece(i - x.ReasoningCount));
                }
                json.Raw("},\"finish_reason\":null}]"u8);
                if (usageOnChunks) ChunkUsage(json, x, i + 1, workers);
                json.Raw("}"u8);
                EndEvent(pipe, eol);
                chunksSent++;

                if (chunksSent % flushEvery == 0)
                {
                    FlushResult flushed = await pipe.FlushAsync(ct);
                    if (flushed.IsCompleted || flushed.IsCanceled) return;
                }
            }

            if (shape.Truncate)
            {
                // No finish chunk, no [DONE]: the body just ends (see AnswerShape.Truncate).
                await pipe.FlushAsync(ct);
                return;
            }

            await BeforeChunkAsync();
            BeginEvent(pipe);
            json.Raw(prefix).Raw("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":"u8).String(x.FinishReason).Raw("}]"u8);
            if (usageOnChunks) ChunkUsage(json, x, total, workers);
            json.Raw("}"u8);
            EndEvent(pipe, eol);

            if (usageOnChunks)
            {
                // The usage-only chunk: OpenAI's include_usage ending, and Workers AI's "choices":[] chunk.
                BeginEvent(pipe);
                json.Raw(prefix).Raw("\"choices\":[],"u8);
                WriteUsage(json, x, total);
                if (workers) Pad(json);
                json.Raw("}"u8);
                EndEvent(pipe, eol);
            }

            if (workers)
            {
                // The native-API ending Workers AI appends: not OpenAI-shaped, cumulative usage.
                BeginEvent(pipe);
                json.Raw("{\"response\":\"\","u8);
                WriteUsage(json, x, total);
                json.Raw("}"u8);
                EndEvent(pipe, eol);
            }

            pipe.Write("data: [DONE]"u8);
            EndEvent(pipe, eol);
            await pipe.FlushAsync(ct);
        }

        /// <summary>At least the length of the whole stream: the Content-Length a truncated stream promises.</summary>
        private static long FullStreamLengthBound(ChatExchange x, int prefixLength)
        {
            const int eventOverhead = 400; // framing, delta and usage JSON, padding
            long length = 1024 + (long)(x.DeltaCount + 4) * (prefixLength + eventOverhead);
            for (int i = 0; i < x.ReasoningCount; i++) length += Encoding.UTF8.GetByteCount(x.ReasoningPiece(i)) * 2L;
            for (int i = 0; i < x.ContentCount; i++) length += Encoding.UTF8.GetByteCount(x.ContentPiece(i)) * 2L;
            return length;
        }

        private static byte[] ChunkPrefix(ChatExchange x)
        {
            var buffer = new ArrayBufferWriter<byte>(160);
            new JsonSink(buffer).Raw("{\"id\":"u8).String(x.Id)
                .Raw(",\"object\":\"chat.completion.chunk\",\"created\":"u8).Number(x.Created)
                .Raw(",\"model\":"u8).String(x.Model).Raw(","u8);
            return buffer.WrittenSpan.ToArray();
        }

        private static void BeginEvent(PipeWriter pipe) => pipe.Write("data: "u8);

        private static void EndEvent(PipeWriter pipe, byte[] eol)
        {
            pipe.Write(eol);
            pipe.Write(eol);
        }

        /// <summary>Usage on a content chunk: Workers AI's growing running total plus its random padding
        /// field, or OpenAI's <c>"usage":null</c>.</summary>
        private static void ChunkUsage(JsonSink json, ChatExchange x, int completionSoFar, bool workers)
        {
            if (!workers)
            {
                json.Raw(",\"usage\":null"u8);
                return;
            }
            json.Raw(","u8);
            WriteUsage(json, x, completionSoFar);
            Pad(json);
        }

        private static void WriteUsage(JsonSink json, ChatExchange x, int completionTokens)
        {
            json.Raw("\"usage\":{\"prompt_tokens\":"u8).Number(x.PromptTokens)
                .Raw(",\"completion_tokens\":"u8).Number(completionTokens)
                .Raw(",\"total_tokens\":"u8).Number((long)x.PromptTokens + completionTokens)
                .Raw("}"u8);
        }

        private static void Pad(JsonSink json)
        {
            int length = Random.Shared.Next(1, Padding.Length + 1);
            json.Raw(",\"p\":\""u8).Raw(Padding.AsSpan(0, length)).Raw("\""u8);
        }
    }
}
