using ApartmentManager.Decisions.Simulation;

namespace ApartmentManager.Decisions.Options;

/// <summary>
/// The crews a property-management company of ~600 units has, as queues. Loads are set so each pool runs at
/// roughly 50–65 % utilisation on shift, which is where waiting times are sensitive to time of day. Service times
/// are exponential (cheap to draw, and M/M/c-checkable). The 36 h replay window reaches back past the previous
/// shift, whose backlog the crews clear at these loads, so the queue a request meets depends on its hour, not on the window.
/// </summary>
internal static class ServiceNetwork
{
    /// <summary>In-house technicians: three on the day shift, booked work all day.</summary>
    public static readonly ServicePool Technicians = new("technicians", servers: 3, ServicePool.Residential(10), meanServiceHours: 1.5, shiftStartHour: 8, shiftEndHour: 18);

    /// <summary>The on-call technician: one person around the clock, only for urgent work.</summary>
    public static readonly ServicePool OnCall = new("on_call", servers: 1, ServicePool.Residential(1.5), meanServiceHours: 1.5);

    /// <summary>Contract vendors (HVAC, appliance, pest, structural) on weekday daytime schedules.</summary>
    public static readonly ServicePool Vendors = new("vendors", servers: 2, ServicePool.Residential(6), meanServiceHours: 2.5, shiftStartHour: 7, shiftEndHour: 19);

    /// <summary>Vendors' 24/7 emergency lines: fast to come, expensive.</summary>
    public static readonly ServicePool EmergencyVendors = new("emergency_vendors", servers: 2, ServicePool.Residential(2), meanServiceHours: 2.0);

    /// <summary>The leasing / resident-services office.</summary>
    public static readonly ServicePool Office = new("office", servers: 3, ServicePool.Residential(20), meanServiceHours: 0.75, shiftStartHour: 9, shiftEndHour: 17);
}
