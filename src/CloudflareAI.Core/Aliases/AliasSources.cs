namespace CloudflareAI.Aliases
{
    /// <summary>The values of <see cref="ProviderAliasDefinition.Source"/>, as Get-AIProviderAlias shows them.</summary>
    public static class AliasSources
    {
        /// <summary>Shipped with the module, unchanged.</summary>
        public const string Builtin = "Builtin";

        /// <summary>Declared in the user's providers file.</summary>
        public const string User = "User";

        /// <summary>Shipped with the module, with fields the user's providers file overrides.</summary>
        public const string BuiltinUser = "Builtin+User";
    }
}
