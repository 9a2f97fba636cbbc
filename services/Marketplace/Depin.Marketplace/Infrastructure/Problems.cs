using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Depin.Marketplace.Infrastructure;

/// <summary>RFC 7807 results used by the endpoints.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: what + " not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static ValidationProblem Invalid(string field, string reason) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] });

    public static ValidationProblem Invalid(Dictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);
}

/// <summary>Collects field errors of a request.</summary>
public sealed class FieldErrors
{
    public Dictionary<string, string[]> Errors { get; } = [];

    public bool Any => Errors.Count > 0;

    public FieldErrors Add(string field, string reason)
    {
        Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, reason] : [reason];
        return this;
    }

    public FieldErrors Require(bool condition, string field, string reason) => condition ? this : Add(field, reason);
}
