package io.osteo.train.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;
import org.junit.jupiter.api.Test;

class CohortConfigTest {

    @Test
    void jsonRoundTripKeepsEveryParameter() {
        CohortConfig small = CohortPreset.SMALL.config(42);
        CohortConfig back = CohortConfig.fromJson(small.toJson(), CohortPreset.PAPER.config(1));
        assertThat(back.toJson()).isEqualTo(small.toJson());
        assertThat(back.seed()).isEqualTo(42);
        assertThat(back.scale()).isEqualTo(0.04);
    }

    @Test
    void partialJsonOverridesOnlyTheGivenValues() {
        CohortConfig base = CohortPreset.SMALL.config(1);
        CohortConfig c = CohortConfig.fromJson("""
                {"seed": 9, "patch": {"size": 24}, "dxa": {"residualBias": {"ge_lunar": 0.0}},
                 "bone": {"vbmdYoung": 160}}""", base);
        assertThat(c.seed()).isEqualTo(9);
        assertThat(c.patch().size()).isEqualTo(24);
        assertThat(c.patch().spacingMm()).isEqualTo(base.patch().spacingMm());
        assertThat(c.dxa().bias(DxaDevice.GE_LUNAR)).isEqualTo(0.0);
        assertThat(c.dxa().precision(DxaDevice.GE_LUNAR)).isEqualTo(base.dxa().precision(DxaDevice.GE_LUNAR));
        assertThat(c.bone().vbmdYoung()).isEqualTo(160);
        assertThat(c.bone().tissueMineralMgCm3()).isEqualTo(base.bone().tissueMineralMgCm3());
        assertThat(c.sites()).hasSize(4);
    }

    @Test
    void badJsonIsRejectedWithTheFieldName() {
        CohortConfig base = CohortPreset.SMALL.config(1);
        assertThatThrownBy(() -> CohortConfig.fromJson("{\"patch\": {\"sise\": 24}}", base))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("patch.sise");
        assertThatThrownBy(() -> CohortConfig.fromJson("{\"patch\": {\"size\": 2}}", base))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("patch.size");
        assertThatThrownBy(() -> CohortConfig.fromJson("{\"scale\": ", base))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> CohortConfig.fromJson("{\"dxa\": {\"precisionCv\": {\"SIEMENS\": 0.01}}}", base))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SIEMENS");
        assertThatThrownBy(() -> CohortConfig.fromJson("{\"population\": {\"femaleFraction\": \"many\"}}", base))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void presetsParse() {
        assertThat(CohortPreset.parse("Small")).isEqualTo(CohortPreset.SMALL);
        assertThat(CohortPreset.parse("paper")).isEqualTo(CohortPreset.PAPER);
        assertThatThrownBy(() -> CohortPreset.parse("huge")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("huge");
    }
}
