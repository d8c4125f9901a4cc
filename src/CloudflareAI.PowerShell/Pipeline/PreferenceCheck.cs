using System;
using System.Management.Automation;

namespace CloudflareAI.PowerShell
{
    /// <summary>
    /// What the engine would show, decided before the line is built: worker threads must not build (and queue) lines
    /// that nobody sees.
    /// </summary>
    internal static class PreferenceCheck
    {
        /// <summary>
        /// Whether WriteVerbose or WriteDebug would show anything: the common parameter when given (-Verbose:$false too),
        /// else the preference variable in the caller's scope. Anything unexpected counts as shown.
        /// </summary>
        public static bool WouldWrite(PSCmdlet cmdlet, string commonParameter, string preferenceVariable)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue(commonParameter, out object? bound))
            {
                if (bound is SwitchParameter flag) return flag.IsPresent;
                if (bound is bool value) return value;
            }
            object? preference = cmdlet.GetVariableValue(preferenceVariable);
            if (preference is PSObject wrapped) preference = wrapped.BaseObject;
            ActionPreference action;
            if (preference is ActionPreference known) action = known;
            else if (preference == null || !Enum.TryParse(preference.ToString(), true, out action)) return true;
            return action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
        }

        /// <summary>Whether a cmdlet's verbose lines would show.</summary>
        public static bool WouldWriteVerbose(PSCmdlet cmdlet) => WouldWrite(cmdlet, "Verbose", "VerbosePreference");

        /// <summary>The gate of one call of <paramref name="cmdlet"/>.</summary>
        public static WriteGate Gate(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            bool textHidden = false;
            // Only -InformationAction is seen here; a 6> redirection cannot be seen from a cmdlet.
            if (bound.TryGetValue("InformationAction", out object? information))
            {
                if (information is PSObject wrapped) information = wrapped.BaseObject;
                textHidden = information is ActionPreference action && (action == ActionPreference.Ignore || action == ActionPreference.SilentlyContinue);
            }
            return new WriteGate(WouldWriteVerbose(cmdlet), WouldWrite(cmdlet, "Debug", "DebugPreference"),
                bound.ContainsKey("Debug"), bound.ContainsKey("Verbose"), bound.ContainsKey("WarningAction"), textHidden);
        }
    }
}
