using System;
using System.Management.Automation;

namespace CloudflareAI.Commands
{
    internal static class Preferences
    {
        /// <summary>
        /// Whether WriteVerbose or WriteDebug would show anything: the common parameter when given (-Verbose:$false too),
        /// else the preference variable in the caller's scope. Anything unexpected counts as shown.
        /// </summary>
        public static bool IsShown(PSCmdlet cmdlet, string commonParameter, string preferenceVariable)
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
    }
}
