using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudflareAI.Chat.Errors
{
    /// <summary>
    /// What an error response says, whatever its shape: OpenAI's
    /// <c>{"error":{"message","code","type"}}</c>, the Cloudflare v4 envelope with <c>errors</c> as an array or a single
    /// object, AI Gateway's <c>error</c> (singular) as an array or object, codes as numbers or strings, and non-JSON
    /// pages from a proxy (tags stripped, whitespace collapsed, first 200 characters). Workers AI's
    /// <c>AiError: AiError: </c> prefix is removed and a trailing <c>(hex-or-uuid)</c> becomes <see cref="RequestId"/>.
    /// </summary>
    internal sealed class ApiErrorBody
    {
        public const int PreviewLength = 200;

        private static readonly Regex TrailingRequestId = new Regex(
            @"\s*\(([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{8,64})\)\s*$",
            RegexOptions.CultureInvariant);

        private static readonly Regex LeadingCode = new Regex(@"^(\d{3,6}):\s+", RegexOptions.CultureInvariant);

        private ApiErrorBody(IReadOnlyList<ApiError> errors, string? requestId, string? text, bool isJson)
        {
            Errors = errors;
            RequestId = requestId;
            Text = text;
            IsJson = isJson;
        }

        public IReadOnlyList<ApiError> Errors { get; }

        /// <summary>The id from the first message that ended in (hex-or-uuid).</summary>
        public string? RequestId { get; }

        /// <summary>For a body with no readable error: its first 200 characters as plain text (empty when the body was empty).</summary>
        public string? Text { get; }

        public bool IsJson { get; }

        /// <summary>The first code given, for ChatException.ProviderCode.</summary>
        public string? FirstCode => Errors.Select(e => e.Code).FirstOrDefault(c => !string.IsNullOrEmpty(c));

        /// <param name="body">The body as text.</param>
        /// <param name="redactor">Masks secrets in the preview of a body that holds no readable error, before it is cut.</param>
        public static ApiErrorBody Parse(string? body, SecretRedactor? redactor = null)
        {
            string text = body ?? string.Empty;
            // A byte-order mark is not whitespace to TrimStart, and would hide a JSON body (and its error codes) behind it.
            if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
            string trimmed = text.TrimStart();
            if (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal))
            {
                try
                {
                    using (JsonDocument document = JsonDocument.Parse(text))
                    {
                        return FromJson(document.RootElement, redactor);
                    }
                }
                catch (JsonException)
                {
                    // Falls through: report it as text.
                }
            }
            return new ApiErrorBody(Array.Empty<ApiError>(), null, Preview(text, redactor), isJson: false);
        }

        public static ApiErrorBody FromJson(JsonElement root, SecretRedactor? redactor = null)
        {
            var errors = new List<ApiError>();
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out JsonElement error)) Collect(error, errors, root);
                if (root.TryGetProperty("errors", out JsonElement list)) Collect(list, errors, null);
                if (errors.Count == 0)
                {
                    // {"code":2009,"message":"Unauthorized"}, {"message":"..."}, FastAPI's {"detail":"..."}.
                    string? message = StringProperty(root, "message") ?? StringProperty(root, "detail");
                    if (message != null) errors.Add(new ApiError(Code(root), message));
                }
            }
            else if (root.ValueKind == JsonValueKind.Array)
            {
                Collect(root, errors, null);
            }

            string? requestId = null;
            var cleaned = new List<ApiError>(errors.Count);
            foreach (ApiError raw in errors)
            {
                ApiError clean = Clean(raw, out string? id);
                requestId ??= id;
                if (!cleaned.Any(e => e.Code == clean.Code && e.Message == clean.Message)) cleaned.Add(clean);
            }

            string? fallback = cleaned.Count == 0 ? Preview(root.GetRawText(), redactor) : null;
            return new ApiErrorBody(cleaned, requestId, fallback, isJson: true);
        }

        /// <summary>True when any error has one of the codes.</summary>
        public bool HasCode(params string[] codes) => Errors.Any(e => e.Code != null && codes.Contains(e.Code, StringComparer.Ordinal));

        /// <summary>True when any message contains the text (case-insensitive).</summary>
        public bool MentionsText(string text) =>
            Errors.Any(e => e.Message.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0)
            || (Text != null && Text.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0);

        /// <summary>"Authentication error (code 10000)", several joined with "; ", or the text of a non-JSON body.</summary>
        public string Describe()
        {
            if (Errors.Count == 0) return Text ?? string.Empty;
            return string.Join("; ", Errors.Select(e => string.IsNullOrEmpty(e.Code) ? e.Message : $"{e.Message} (code {e.Code})"));
        }

        /// <summary>
        /// Plain text for a message: a page's tags, scripts, styles and comments removed, entities decoded, whitespace
        /// collapsed, cut to 200 characters. Secrets are masked before the cut (a cut through a secret would leave its
        /// start behind) and again after the entities are decoded (a page may echo the token as &amp;#116;...).
        /// </summary>
        public static string Preview(string? text, SecretRedactor? redactor = null)
        {
            if (string.IsNullOrEmpty(text)) return string.Empty;
            SecretRedactor mask = redactor ?? SecretRedactor.None;
            string plain = mask.Redact(WebUtility.HtmlDecode(StripMarkup(mask.Redact(text!))));
            var collapsed = new StringBuilder(Math.Min(plain.Length, PreviewLength + mask.LongestValueLength + 8));
            bool space = false;
            foreach (char c in plain)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    space = collapsed.Length > 0;
                    continue;
                }
                if (space) collapsed.Append(' ');
                space = false;
                collapsed.Append(c);
                // Far enough past the cut that a secret beginning before it is whole, so the mask below finds it.
                if (collapsed.Length > PreviewLength + mask.LongestValueLength) break;
            }
            // Collapsing can join what markup or line breaks kept apart, so mask once more before cutting.
            string whole = mask.IsEmpty ? collapsed.ToString() : mask.Redact(collapsed.ToString());
            if (whole.Length <= PreviewLength) return whole;
            return whole.Substring(0, PreviewLength).TrimEnd() + "...";
        }

        private static void Collect(JsonElement value, List<ApiError> errors, JsonElement? parent)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    foreach (JsonElement item in value.EnumerateArray()) Collect(item, errors, null);
                    break;
                case JsonValueKind.Object:
                    string? message = StringProperty(value, "message") ?? StringProperty(value, "detail") ?? StringProperty(value, "error");
                    string? code = Code(value);
                    if (message != null || code != null) errors.Add(new ApiError(code, message ?? string.Empty));
                    break;
                case JsonValueKind.String:
                    // {"error":"Unauthorized","code":401} and "errors":["..."]
                    string? text = JsonText.ReplaceLoneSurrogates(JsonText.Read(value));
                    if (!string.IsNullOrWhiteSpace(text)) errors.Add(new ApiError(parent.HasValue ? Code(parent.Value) : null, text!));
                    break;
            }
        }

        private static string? StringProperty(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out JsonElement value)) return null;
            if (value.ValueKind == JsonValueKind.String)
            {
                string text = JsonText.ReplaceLoneSurrogates(JsonText.Read(value));
                return string.IsNullOrWhiteSpace(text) ? null : text;
            }
            return null;
        }

        private static string? Code(JsonElement element)
        {
            if (!element.TryGetProperty("code", out JsonElement value)) return null;
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    return value.GetRawText();
                case JsonValueKind.String:
                    string? code = JsonText.ReplaceLoneSurrogates(JsonText.Read(value));
                    return string.IsNullOrWhiteSpace(code) ? null : code!.Trim();
                default:
                    return null;
            }
        }

        private static ApiError Clean(ApiError error, out string? requestId)
        {
            requestId = null;
            string message = error.Message.Trim();
            string? code = error.Code;

            bool changed = true;
            while (changed)
            {
                changed = false;
                if (message.StartsWith("AiError:", StringComparison.Ordinal))
                {
                    message = message.Substring("AiError:".Length).TrimStart();
                    changed = true;
                }
                // Workers AI bindings report "3040: Capacity temporarily exceeded" with the code in the text.
                Match leading = LeadingCode.Match(message);
                if (leading.Success && (code == null || code == leading.Groups[1].Value))
                {
                    code = leading.Groups[1].Value;
                    message = message.Substring(leading.Length);
                    changed = true;
                }
            }

            Match id = TrailingRequestId.Match(message);
            if (id.Success)
            {
                requestId = id.Groups[1].Value;
                message = message.Substring(0, id.Index);
            }
            return new ApiError(code, message.Trim());
        }

        /// <summary>Removes tags, and the text of scripts, styles and comments, with one linear pass.</summary>
        private static string StripMarkup(string text)
        {
            if (text.IndexOf('<') < 0) return text;
            var result = new StringBuilder(text.Length);
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c != '<')
                {
                    result.Append(c);
                    i++;
                    continue;
                }

                int end;
                if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
                {
                    end = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    i = end < 0 ? text.Length : end + 3;
                }
                else if (StartsWithTag(text, i, "script") || StartsWithTag(text, i, "style"))
                {
                    string name = StartsWithTag(text, i, "script") ? "</script" : "</style";
                    end = text.IndexOf(name, i, StringComparison.OrdinalIgnoreCase);
                    end = end < 0 ? -1 : text.IndexOf('>', end);
                    i = end < 0 ? text.Length : end + 1;
                }
                else if (i + 1 < text.Length && (char.IsLetter(text[i + 1]) || text[i + 1] == '/' || text[i + 1] == '!' || text[i + 1] == '?'))
                {
                    end = text.IndexOf('>', i + 1);
                    i = end < 0 ? text.Length : end + 1;
                }
                else
                {
                    result.Append(c);
                    i++;
                    continue;
                }
                result.Append(' ');
            }
            return result.ToString();
        }

        private static bool StartsWithTag(string text, int index, string name)
        {
            if (index + 1 + name.Length > text.Length) return false;
            if (string.Compare(text, index + 1, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) != 0) return false;
            int after = index + 1 + name.Length;
            return after == text.Length || !char.IsLetterOrDigit(text[after]);
        }

        public override string ToString() => Describe();
    }
}
