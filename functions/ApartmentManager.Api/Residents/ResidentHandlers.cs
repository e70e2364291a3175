using ApartmentManager.Api.Http;
using ApartmentManager.Api.Requests;
using ApartmentManager.Application.Ports;
using ApartmentManager.Application.Requests;
using ApartmentManager.Application.Residents;
using ApartmentManager.Domain;
using Microsoft.AspNetCore.Http;

namespace ApartmentManager.Api.Residents;

/// <summary>Body of PUT /api/v1/residents/{id}: where the resident lives and how to reach them.</summary>
public sealed record ResidentBody(string? Building, string? Unit, string? Name, string? Phone, string? Email);

/// <summary>The resident directory routes: an admin writes an entry; an admin or the resident reads it.</summary>
public static class ResidentHandlers
{
    private const int MaxShortField = 64;
    private const int MaxContactField = 254;

    public static Task<IResult> Put(HttpContext context, string id, ResidentDirectoryService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller =>
        {
            if (!caller.IsAdmin)
            {
                throw new ForbiddenException("Writing the resident directory needs the admin role.");
            }
            var body = await JsonBody.ReadAsync(context, ApiJsonContext.Default.ResidentBody, ct);
            if (body.Problem is not null)
            {
                return body.Problem;
            }
            var entry = await service.PutAsync(caller, Id(id), ToInput(body.Value!), ct);
            return TypedResults.Json(entry, ApiJsonContext.Default.ResidentEntry);
        });

    public static Task<IResult> Get(HttpContext context, string id, ResidentDirectoryService service, CancellationToken ct) =>
        ApiHandler.Run(context, async caller => TypedResults.Json(await service.GetAsync(caller, Id(id), ct), ApiJsonContext.Default.ResidentEntry));

    private static string Id(string id) =>
        string.IsNullOrWhiteSpace(id) || id.Length > 128 || id.Any(char.IsControl)
            ? throw new ValidationFailedException(new Dictionary<string, string[]> { ["id"] = ["A resident id has 1 to 128 printable characters."] })
            : id;

    internal static ResidentInput ToInput(ResidentBody body)
    {
        var errors = new Dictionary<string, List<string>>();
        var building = RequestValidation.Text(errors, "building", body.Building, MaxShortField, required: true);
        var unit = RequestValidation.Text(errors, "unit", body.Unit, MaxShortField, required: true);
        if (building is not null && UnitAddress.NormalizeBuilding(building).Length == 0)
        {
            RequestValidation.Add(errors, "building", "building needs at least one letter or digit.");
        }
        if (unit is not null && UnitAddress.NormalizeUnit(unit).Length == 0)
        {
            RequestValidation.Add(errors, "unit", "unit needs at least one letter or digit.");
        }
        var name = RequestValidation.Text(errors, "name", body.Name, MaxContactField, required: false);
        var phone = RequestValidation.Text(errors, "phone", body.Phone, 32, required: false);
        var email = RequestValidation.Text(errors, "email", body.Email, MaxContactField, required: false);
        if (phone is not null && !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')'))
        {
            RequestValidation.Add(errors, "phone", "phone has digits, spaces and + - ( ) only.");
        }
        if (email is not null && (email.IndexOf('@') is <= 0 || email.EndsWith('@') || email.Any(char.IsWhiteSpace)))
        {
            RequestValidation.Add(errors, "email", "email is an address like name@example.com.");
        }
        ValidationFailedException.ThrowIfAny(errors);
        return new ResidentInput(building!, unit!, name, phone, email);
    }
}
