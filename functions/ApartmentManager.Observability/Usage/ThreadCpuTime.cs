using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ApartmentManager.Observability.Usage;

/// <summary>
/// CPU time consumed by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>, Windows <c>GetThreadTimes</c>);
/// elsewhere the elapsed time stands in. Measure synchronous, CPU-bound work that stays on one thread.
/// </summary>
public static partial class ThreadCpuTime
{
    /// <summary>A reading to subtract from a later one.</summary>
    public static TimeSpan Now()
    {
        try
        {
            if (OperatingSystem.IsLinux() && clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var ts) == 0)
            {
                return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
            }
            if (OperatingSystem.IsWindows() && GetThreadTimes(GetCurrentThread(), out _, out _, out var kernel, out var user))
            {
                return TimeSpan.FromTicks(kernel + user);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return Stopwatch.GetElapsedTime(0);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clockId, out TimeSpec time);

    [LibraryImport("kernel32")]
    private static partial IntPtr GetCurrentThread();

    [LibraryImport("kernel32")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetThreadTimes(IntPtr thread, out long creation, out long exit, out long kernel, out long user);
}
