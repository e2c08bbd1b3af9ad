package io.osteo.api.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSchemeTest {

    private static VertebraLevel level(LabelScheme s, int label) {
        return ((LabelScheme.Level) s.meaning(label)).level();
    }

    @Test
    void totalSegmentatorCountsThoracicLevelsUpFromT12() {
        LabelScheme ts = LabelScheme.totalSegmentatorV2();
        assertThat(level(ts, 27)).isEqualTo(VertebraLevel.L5);
        assertThat(level(ts, 30)).isEqualTo(VertebraLevel.L2);
        assertThat(level(ts, 31)).isEqualTo(VertebraLevel.L1);
        assertThat(level(ts, 32)).isEqualTo(VertebraLevel.T12);
        assertThat(level(ts, 33)).isEqualTo(VertebraLevel.T11);
        assertThat(level(ts, 43)).isEqualTo(VertebraLevel.T1);
        assertThat(ts.meaning(26)).isEqualTo(new LabelScheme.OtherVertebra("S1", false));
        assertThat(ts.meaning(44)).isEqualTo(new LabelScheme.OtherVertebra("C7", false));
        assertThat(ts.meaning(50)).isEqualTo(new LabelScheme.OtherVertebra("C1", false));
        assertThat(ts.meaning(5)).isInstanceOf(LabelScheme.NotVertebra.class); // an organ
        assertThat(ts.meaning(0)).isInstanceOf(LabelScheme.NotVertebra.class);
    }

    @Test
    void verseRunsHeadToTailAndKnowsT13() {
        LabelScheme v = LabelScheme.verse();
        assertThat(level(v, 8)).isEqualTo(VertebraLevel.T1);
        assertThat(level(v, 19)).isEqualTo(VertebraLevel.T12);
        assertThat(level(v, 20)).isEqualTo(VertebraLevel.L1);
        assertThat(level(v, 25)).isEqualTo(VertebraLevel.L6);
        assertThat(v.meaning(28)).isEqualTo(new LabelScheme.OtherVertebra("T13", true));
        assertThat(v.meaning(7)).isEqualTo(new LabelScheme.OtherVertebra("C7", false));
    }

    @Test
    void binaryAndCustomSchemes() {
        LabelScheme b = LabelScheme.binary(VertebraLevel.L3);
        assertThat(level(b, 1)).isEqualTo(VertebraLevel.L3);
        assertThat(level(b, 255)).isEqualTo(VertebraLevel.L3);
        assertThat(b.meaning(0)).isInstanceOf(LabelScheme.NotVertebra.class);
        LabelScheme c = LabelScheme.custom("site", Map.of(100, VertebraLevel.L1, 101, VertebraLevel.L2));
        assertThat(level(c, 101)).isEqualTo(VertebraLevel.L2);
        assertThat(c.meaning(102)).isInstanceOf(LabelScheme.NotVertebra.class);
        assertThatThrownBy(() -> LabelScheme.custom("x", Map.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> LabelScheme.custom("x", Map.of(0, VertebraLevel.L1)))
                .hasMessageContaining("background");
    }

    @Test
    void parsesCliNames() {
        assertThat(LabelScheme.parse("totalsegmentator", null).name()).isEqualTo("totalsegmentator-v2");
        assertThat(LabelScheme.parse("VerSe", null).name()).isEqualTo("verse");
        assertThat(LabelScheme.parse("binary", VertebraLevel.L1).name()).isEqualTo("binary-L1");
        assertThatThrownBy(() -> LabelScheme.parse("binary", null)).hasMessageContaining("needs the vertebra level");
        assertThatThrownBy(() -> LabelScheme.parse("nnunet", null)).hasMessageContaining("unknown label scheme 'nnunet'");
    }
}
