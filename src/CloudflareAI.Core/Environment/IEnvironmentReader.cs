using System;
using System.Collections.Generic;

namespace CloudflareAI.Environment
{
    /// <summary>Reads environment variables. The core never touches the process environment directly,
    /// so tests inject their own table.</summary>
    public interface IEnvironmentReader
    {
        /// <summary>The value, or null when the variable is not set.</summary>
        string? Get(string name);
    }

}
