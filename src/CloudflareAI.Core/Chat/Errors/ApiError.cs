using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudflareAI.Chat.Errors
{
    /// <summary>One (code, message) pair from an error body.</summary>
    internal sealed class ApiError
    {
        public ApiError(string? code, string message)
        {
            Code = code;
            Message = message;
        }

        /// <summary>Cloudflare's numeric code as text ("10000"), or an OpenAI string code ("invalid_api_key").</summary>
        public string? Code { get; }

        public string Message { get; }
    }
}
