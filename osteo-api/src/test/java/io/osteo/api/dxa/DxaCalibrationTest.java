package io.osteo.api.dxa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.Sex;
import org.junit.jupiter.api.Test;

class DxaCalibrationTest {

    @Test
    void huiEquationsMapEachCentreToTheCommonSbmd() {
        assertThat(DxaCalibration.toStandardized(DxaDevice.HOLOGIC, 0.972)).isCloseTo(1.0436, within(1e-12));
        assertThat(DxaCalibration.toStandardized(DxaDevice.GE_LUNAR, 1.100)).isCloseTo(1.0436, within(1e-12));
        // hand-computed: 1.0550 * (0.800 - 0.972) + 1.0436 = 0.86214
        assertThat(DxaCalibration.toStandardized(DxaDevice.HOLOGIC, 0.800)).isCloseTo(0.86214, within(1e-9));
        // hand-computed: 0.9683 * (0.900 - 1.100) + 1.0436 = 0.84994
        assertThat(DxaCalibration.toStandardized(DxaDevice.GE_LUNAR, 0.900)).isCloseTo(0.84994, within(1e-9));
    }

    @Test
    void inverseRoundTripsForEveryDevice() {
        for (DxaDevice d : new DxaDevice[] {DxaDevice.HOLOGIC, DxaDevice.GE_LUNAR, DxaDevice.MEDIX}) {
            for (double bmd = 0.4; bmd <= 1.6; bmd += 0.1) {
                double s = DxaCalibration.toStandardized(d, bmd);
                assertThat(DxaCalibration.fromStandardized(d, s)).isCloseTo(bmd, within(1e-12));
            }
        }
    }

    @Test
    void impliedLunarFromHologicMatchesThePublishedRelation() {
        for (double h = 0.5; h <= 1.4; h += 0.1) {
            double lunar = DxaCalibration.convert(DxaDevice.HOLOGIC, DxaDevice.GE_LUNAR, h);
            assertThat(lunar).isCloseTo(1.0895 * h + 0.041, within(2e-3));
            // Genant 1994 pairwise conversion agrees within a few percent over the clinical range
            assertThat(lunar / DxaCalibration.genantLunarFromHologic(h)).isBetween(0.97, 1.03);
        }
    }

    @Test
    void medixAssumptionSitsBetweenHologicAndLunar() {
        double h = 0.9;
        double medix = DxaCalibration.convert(DxaDevice.HOLOGIC, DxaDevice.MEDIX, h);
        assertThat(medix).isCloseTo(1.04 * 0.9 + 0.01, within(1e-12));
        assertThat(medix).isBetween(h, DxaCalibration.convert(DxaDevice.HOLOGIC, DxaDevice.GE_LUNAR, h));
    }

    @Test
    void unknownDeviceAndNonFiniteValuesAreRejectedWithNames() {
        assertThatThrownBy(() -> DxaCalibration.toStandardized(DxaDevice.UNKNOWN, 1.0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("UNKNOWN");
        assertThatThrownBy(() -> DxaCalibration.fromStandardized(DxaDevice.HOLOGIC, Double.NaN))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("sBMD");
    }

    @Test
    void tScoresAndWhoCategories() {
        DxaReference ref = DxaReference.defaults();
        // (0.799 - 1.064) / 0.106 = -2.5
        assertThat(ref.tScore(DxaDevice.HOLOGIC, Sex.FEMALE, 0.799)).isCloseTo(-2.5, within(1e-9));
        assertThat(ref.category(DxaDevice.HOLOGIC, Sex.FEMALE, 0.799)).isEqualTo(WhoCategory.OSTEOPOROSIS);
        assertThat(WhoCategory.of(-2.5)).isEqualTo(WhoCategory.OSTEOPOROSIS);
        assertThat(WhoCategory.of(-2.4999)).isEqualTo(WhoCategory.OSTEOPENIA);
        assertThat(WhoCategory.of(-1.0)).isEqualTo(WhoCategory.NORMAL);
        assertThat(WhoCategory.of(-1.0001)).isEqualTo(WhoCategory.OSTEOPENIA);
        assertThat(ref.reference(DxaDevice.HOLOGIC, Sex.MALE).isAssumption()).isFalse();
        assertThat(ref.reference(DxaDevice.GE_LUNAR, Sex.FEMALE).isAssumption()).isTrue();
        assertThat(ref.reference(DxaDevice.MEDIX, Sex.FEMALE).isAssumption()).isTrue();
        assertThatThrownBy(() -> ref.tScore(DxaDevice.UNKNOWN, Sex.FEMALE, 1.0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("UNKNOWN");
    }

    @Test
    void defaultReferencesAreConsistentWithTheDeviceScales() {
        // the assumed Lunar and MEDIX references are the Hologic one mapped to their scales
        DxaReference ref = DxaReference.defaults();
        for (Sex sex : Sex.values()) {
            double h = ref.reference(DxaDevice.HOLOGIC, sex).mean();
            assertThat(ref.reference(DxaDevice.GE_LUNAR, sex).mean())
                    .isCloseTo(DxaCalibration.convert(DxaDevice.HOLOGIC, DxaDevice.GE_LUNAR, h), within(0.01));
            assertThat(ref.reference(DxaDevice.MEDIX, sex).mean())
                    .isCloseTo(DxaCalibration.convert(DxaDevice.HOLOGIC, DxaDevice.MEDIX, h), within(0.01));
        }
    }

    @Test
    void siteOverrideReplacesOneReferenceOnly() {
        DxaReference site = DxaReference.defaults()
                .with(DxaDevice.GE_LUNAR, Sex.FEMALE, new YoungAdultReference(1.18, 0.11, "site table"));
        assertThat(site.reference(DxaDevice.GE_LUNAR, Sex.FEMALE).mean()).isEqualTo(1.18);
        assertThat(DxaReference.defaults().reference(DxaDevice.GE_LUNAR, Sex.FEMALE).mean()).isEqualTo(1.20);
        assertThatThrownBy(() -> new YoungAdultReference(1.0, 0.0, "x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SD");
    }
}
