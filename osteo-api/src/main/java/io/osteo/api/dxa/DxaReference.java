package io.osteo.api.dxa;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.Sex;
import java.util.EnumMap;
import java.util.Map;

/**
 * Young-adult L1-L4 references per DXA device and sex, used to turn a device-scale BMD into a
 * T-score. Immutable and thread-safe; {@link #with} returns a modified copy so a site can plug
 * in its scanner's built-in reference constants.
 *
 * <p>Defaults ({@code shared/specs/clinical-facts.md}):
 * <ul>
 *   <li>Hologic: US NHANES young adults (21-30 y), women 1.064 +/- 0.106, men 1.057 +/- 0.110.</li>
 *   <li>GE Lunar: <b>assumption</b>, the Hologic values mapped through the Hui 1997 equations
 *       (Lunar ~= 1.0895 x Hologic + 0.041): women 1.20 +/- 0.12, men 1.19 +/- 0.12.</li>
 *   <li>MEDIX: <b>assumption</b>, the Hologic values mapped through the MEDIX assumption
 *       (1.04 x Hologic + 0.01): women 1.12 +/- 0.115, men 1.11 +/- 0.115.</li>
 * </ul>
 * The manufacturers' built-in constants were not found; a site should override them with its own.
 */
public final class DxaReference {

    private static final DxaReference DEFAULTS = new DxaReference(defaultTable());

    private final Map<DxaDevice, Map<Sex, YoungAdultReference>> table;

    private DxaReference(Map<DxaDevice, Map<Sex, YoungAdultReference>> table) {
        this.table = table;
    }

    /** The documented default references (see the class comment for sources and assumptions). */
    public static DxaReference defaults() {
        return DEFAULTS;
    }

    /** A copy with the reference of {@code device} and {@code sex} replaced. */
    public DxaReference with(DxaDevice device, Sex sex, YoungAdultReference reference) {
        if (device == null || device == DxaDevice.UNKNOWN || sex == null || reference == null) {
            throw new InvalidInputException("a DXA reference needs a known device, a sex and a reference, got "
                    + device + ", " + sex + ", " + reference);
        }
        Map<DxaDevice, Map<Sex, YoungAdultReference>> copy = new EnumMap<>(DxaDevice.class);
        table.forEach((d, m) -> copy.put(d, new EnumMap<>(m)));
        copy.get(device).put(sex, reference);
        return new DxaReference(copy);
    }

    /** The young-adult reference of a device and sex. */
    public YoungAdultReference reference(DxaDevice device, Sex sex) {
        Map<Sex, YoungAdultReference> bySex = device == null ? null : table.get(device);
        if (bySex == null || sex == null) {
            throw new InvalidInputException("no young-adult DXA reference for device " + device + " and sex " + sex
                    + " (devices with references: HOLOGIC, GE_LUNAR, MEDIX)");
        }
        return bySex.get(sex);
    }

    /** T-score of an L1-L4 areal BMD (g/cm^2) measured on {@code device}, for a patient of {@code sex}. */
    public double tScore(DxaDevice device, Sex sex, double bmd) {
        return reference(device, sex).tScore(bmd);
    }

    /** WHO category of a BMD measured on {@code device}. */
    public WhoCategory category(DxaDevice device, Sex sex, double bmd) {
        return WhoCategory.of(tScore(device, sex, bmd));
    }

    private static Map<DxaDevice, Map<Sex, YoungAdultReference>> defaultTable() {
        Map<DxaDevice, Map<Sex, YoungAdultReference>> t = new EnumMap<>(DxaDevice.class);
        String nhanes = "NHANES young adults 21-30 y, L1-L4, Hologic";
        String lunar = "assumption: Hologic NHANES reference mapped by Hui 1997 (Lunar = 1.0895 x Hologic + 0.041)";
        String medix = "assumption: Hologic NHANES reference mapped by MEDIX = 1.04 x Hologic + 0.01";
        t.put(DxaDevice.HOLOGIC, bySex(new YoungAdultReference(1.064, 0.106, nhanes),
                new YoungAdultReference(1.057, 0.110, nhanes)));
        t.put(DxaDevice.GE_LUNAR, bySex(new YoungAdultReference(1.20, 0.12, lunar),
                new YoungAdultReference(1.19, 0.12, lunar)));
        t.put(DxaDevice.MEDIX, bySex(new YoungAdultReference(1.12, 0.115, medix),
                new YoungAdultReference(1.11, 0.115, medix)));
        return t;
    }

    private static Map<Sex, YoungAdultReference> bySex(YoungAdultReference female, YoungAdultReference male) {
        Map<Sex, YoungAdultReference> m = new EnumMap<>(Sex.class);
        m.put(Sex.FEMALE, female);
        m.put(Sex.MALE, male);
        return m;
    }
}
