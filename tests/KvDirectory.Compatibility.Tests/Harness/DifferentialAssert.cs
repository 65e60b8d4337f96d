using System.Text;

namespace KvDirectory.Compatibility.Tests.Harness;

/// <summary>
/// Compares two runs step by step and fails with everything needed for a one-glance diagnosis:
/// the scenario, the step, the differences, and both full raw answers.
/// </summary>
public static class DifferentialAssert
{
    public static void Identical(string scenario, ServerRun reference, ServerRun candidate)
    {
        if (reference.Exchanges.Count != candidate.Exchanges.Count)
        {
            throw new DifferenceException($"scenario '{scenario}': reference made {reference.Exchanges.Count} exchanges, candidate {candidate.Exchanges.Count}");
        }

        var report = new StringBuilder();
        for (var i = 0; i < reference.Exchanges.Count; i++)
        {
            var left = reference.Exchanges[i];
            var right = candidate.Exchanges[i];
            var differences = ResponseComparer.Differences(
                ResponseNormaliser.Normalise(left.Response, reference.Rebase, left.Mode, left.KeepsListingOrder),
                ResponseNormaliser.Normalise(right.Response, candidate.Rebase, right.Mode, right.KeepsListingOrder));
            if (differences.Count == 0)
            {
                continue;
            }

            report.AppendLine($"scenario '{scenario}' step {i + 1}: {left.Description}");
            foreach (var difference in differences)
            {
                report.AppendLine($"  - {difference}   (reference != {candidate.Server.Kind})");
            }

            report.AppendLine($"--- reference etcd (index base {reference.Rebase.Base}), as sent: {left.Description}");
            report.Append(left.Response);
            report.AppendLine($"--- candidate {candidate.Server.Kind} (index base {candidate.Rebase.Base}), as sent: {right.Description}");
            report.Append(right.Response);
            report.AppendLine();
        }

        if (report.Length > 0)
        {
            throw new DifferenceException(report.ToString());
        }
    }
}
