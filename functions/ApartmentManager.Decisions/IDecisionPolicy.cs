using ApartmentManager.Domain;

namespace ApartmentManager.Decisions;

/// <summary>Step 4: rank a request's simulated options under the policy and say what happens next.</summary>
public interface IDecisionPolicy
{
    /// <summary>
    /// Decides on a request that has options (see <see cref="IOptionSimulator"/>). Throws
    /// <see cref="RequestNotReadyException"/> when classification, risk or options are missing.
    /// </summary>
    /// <param name="facts">What the rules need to know beyond the request (goodwill credited to the resident, a ledger
    /// review's finding); <see cref="Policy.PolicyFacts.None"/> when absent.</param>
    Decision Decide(ResidentRequest request, Policy.PolicyFacts? facts = null);
}
