using System;
using System.Collections.Generic;

namespace CloudflareAI.Chat
{
    /// <summary>
    /// What the client reports while it works. Called from worker threads: the cmdlet queues each call back to the
    /// pipeline thread. Every string passed here is already free of secrets.
    /// </summary>
    public interface IChatObserver
    {
        /// <summary>A piece of streamed answer text, as it arrives.</summary>
        void OnText(string text);

        /// <summary>A user-level progress line (-Verbose): URL, status, retry, elapsed.</summary>
        void OnVerbose(string message);

        /// <summary>An internal line (-Debug): request body and headers with secrets as ***.</summary>
        void OnDebug(string message);

        /// <summary>A warning, e.g. finish_reason 'length'.</summary>
        void OnWarning(string message);
    }
}
