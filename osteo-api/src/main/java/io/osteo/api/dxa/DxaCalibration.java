package io.osteo.api.dxa;

import io.osteo.api.InvalidInputException;

/**
 * Conversions between the lumbar-spine (L1-L4) areal BMD scales of DXA devices, in g/cm^2.
 *
 * <p>The common scale is the standardised BMD (sBMD) of Hui et al. 1997 (J Bone Miner Res
 * 12:1463), optimised equations {@code sBMD = slope * (BMD - centre) + 1.0436}:
 * <ul>
 *   <li>Hologic: slope 1.0550, centre 0.972</li>
 *   <li>GE Lunar: slope 0.9683, centre 1.100</li>
 *   <li>MEDIX: no published cross-calibration exists. <b>Assumption</b> (named so in every
 *       document): a pencil-beam-like scale between the two big vendors,
 *       {@code MEDIX = 1.04 * Hologic + 0.01}, i.e. sBMD is computed through the Hologic
 *       equation after that linear map.</li>
 * </ul>
 * The equations imply Lunar ~= 1.0895 x Hologic + 0.041. For comparison the direct pairwise
 * conversion of Genant et al. 1994 (J Bone Miner Res 9:1503) is also offered. Even after
 * standardisation modern Hologic and GE Lunar scanners differ by about 4% at L1-L4 (Fan et al.
 * 2010, Osteoporos Int 21:1227), so these conversions are population-level, not a way to compare
 * one patient's scans across vendors (conversion standard error 4-7%).
 *
 * <p>Stateless and thread-safe.
 */
public final class DxaCalibration {

    /** The sBMD value the Hui 1997 equations are centred on, g/cm^2. */
    public static final double SBMD_CENTRE = 1.0436;

    static final double HOLOGIC_SLOPE = 1.0550;
    static final double HOLOGIC_CENTRE = 0.972;
    static final double LUNAR_SLOPE = 0.9683;
    static final double LUNAR_CENTRE = 1.100;
    /** <b>Assumption</b>: MEDIX = MEDIX_SLOPE x Hologic + MEDIX_OFFSET (no published calibration). */
    public static final double MEDIX_SLOPE_VS_HOLOGIC = 1.04;
    /** <b>Assumption</b>: see {@link #MEDIX_SLOPE_VS_HOLOGIC}, g/cm^2. */
    public static final double MEDIX_OFFSET_VS_HOLOGIC = 0.01;

    private DxaCalibration() {}

    /** Standardised BMD (g/cm^2) of an L1-L4 areal BMD measured on {@code device} (g/cm^2). */
    public static double toStandardized(DxaDevice device, double bmd) {
        requireFinite(bmd, "BMD");
        return switch (known(device)) {
            case HOLOGIC -> HOLOGIC_SLOPE * (bmd - HOLOGIC_CENTRE) + SBMD_CENTRE;
            case GE_LUNAR -> LUNAR_SLOPE * (bmd - LUNAR_CENTRE) + SBMD_CENTRE;
            case MEDIX -> toStandardized(DxaDevice.HOLOGIC, (bmd - MEDIX_OFFSET_VS_HOLOGIC) / MEDIX_SLOPE_VS_HOLOGIC);
            default -> throw new AssertionError(device);
        };
    }

    /** The areal BMD (g/cm^2) {@code device} would read for a standardised BMD (inverse of Hui 1997). */
    public static double fromStandardized(DxaDevice device, double sbmd) {
        requireFinite(sbmd, "sBMD");
        return switch (known(device)) {
            case HOLOGIC -> HOLOGIC_CENTRE + (sbmd - SBMD_CENTRE) / HOLOGIC_SLOPE;
            case GE_LUNAR -> LUNAR_CENTRE + (sbmd - SBMD_CENTRE) / LUNAR_SLOPE;
            case MEDIX -> MEDIX_SLOPE_VS_HOLOGIC * fromStandardized(DxaDevice.HOLOGIC, sbmd) + MEDIX_OFFSET_VS_HOLOGIC;
            default -> throw new AssertionError(device);
        };
    }

    /** Converts an areal BMD from one device scale to another through sBMD (Hui 1997). */
    public static double convert(DxaDevice from, DxaDevice to, double bmd) {
        return fromStandardized(to, toStandardized(from, bmd));
    }

    /** Genant et al. 1994 pairwise conversion: Hologic = 0.906 x Lunar - 0.025 (g/cm^2). */
    public static double genantHologicFromLunar(double lunarBmd) {
        requireFinite(lunarBmd, "GE Lunar BMD");
        return 0.906 * lunarBmd - 0.025;
    }

    /** Genant et al. 1994 pairwise conversion: Lunar = 1.074 x Hologic + 0.054 (g/cm^2). */
    public static double genantLunarFromHologic(double hologicBmd) {
        requireFinite(hologicBmd, "Hologic BMD");
        return 1.074 * hologicBmd + 0.054;
    }

    private static DxaDevice known(DxaDevice device) {
        if (device == null || device == DxaDevice.UNKNOWN) {
            throw new InvalidInputException("DXA device " + device
                    + " has no BMD scale (expected HOLOGIC, GE_LUNAR or MEDIX)");
        }
        return device;
    }

    private static void requireFinite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(what + " " + value + " g/cm^2 is not a finite number");
        }
    }
}
