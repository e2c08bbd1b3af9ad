package io.osteo.train.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    private static final String HEADER = "patient_id,site,split,dxa_device,level,image,mask,bmd,t_score,label,age,sex\n";

    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        Files.createDirectories(dir.resolve("img"));
        Files.writeString(dir.resolve("img/a.nii.gz"), "x");
        Files.writeString(dir.resolve("img/b.nii.gz"), "x");
    }

    private Path manifest(String rows) throws IOException {
        return Files.writeString(dir.resolve("manifest.csv"), HEADER + rows);
    }

    @Test
    void readsAValidManifestWithRelativePathsAndOptionalFields() throws IOException {
        Manifest m = ManifestReader.read(manifest("""
                P1,A,train,HOLOGIC,L1,img/a.nii.gz,,0.7500,-2.972,1,71,F
                P1,A,pretrain,,T7,img/b.nii.gz,,,,,71,F
                P2,"Site, B",test,ge-lunar,l3,img/b.nii.gz,img/a.nii.gz,1.1000,-0.833,0,,
                """));
        assertThat(m.size()).isEqualTo(3);
        ManifestEntry first = m.entries().get(0);
        assertThat(first.image()).isEqualTo(dir.resolve("img/a.nii.gz").toAbsolutePath().normalize());
        assertThat(first.label()).isTrue();
        assertThat(first.bmd()).isEqualTo(0.75);
        assertThat(first.sex()).isEqualTo(Sex.FEMALE);
        assertThat(m.entries().get(1).device()).isEqualTo(DxaDevice.UNKNOWN);
        assertThat(m.entries().get(1).isLabelled()).isFalse();
        ManifestEntry third = m.entries().get(2);
        assertThat(third.site()).isEqualTo("Site, B");
        assertThat(third.device()).isEqualTo(DxaDevice.GE_LUNAR);
        assertThat(third.level()).isEqualTo(VertebraLevel.L3);
        assertThat(third.age()).isNull();
        assertThat(m.split(Split.TRAIN, Split.TEST)).hasSize(2);
        assertThat(m.labelled()).hasSize(2);
    }

    @Test
    void writerAndReaderRoundTrip() throws IOException {
        Manifest m = ManifestReader.read(manifest("P1,A,valid,MEDIX,L2,img/a.nii.gz,img/b.nii.gz,0.9000,-1.913,0,60,M\n"));
        Path copy = dir.resolve("copy.csv");
        ManifestWriter.write(copy, m.entries());
        assertThat(ManifestReader.read(copy).entries()).isEqualTo(m.entries());
        assertThat(Files.readString(copy)).isEqualTo(HEADER
                + "P1,A,valid,MEDIX,L2,img/a.nii.gz,img/b.nii.gz,0.9000,-1.913,0,60,M\n");
    }

    @Test
    void everyBadFieldIsReportedWithRowLineAndField() throws IOException {
        Path csv = manifest("""
                P1,A,train,HOLOGIC,L1,img/missing.nii.gz,,0.75,-2.9,1,71,F
                P2,A,training,HOLOGIC,L2,img/a.nii.gz,,0.9,-1.5,0,70,F
                P3,A,train,SIEMENS,L9,img/a.nii.gz,,0.9,-1.5,0,70,F
                P4,A,train,HOLOGIC,L1,img/a.nii.gz,,3.1,-1.5,0,70,F
                P5,A,train,HOLOGIC,L1,img/a.nii.gz,,0.7,-2.9,0,70,F
                P6,A,test,HOLOGIC,L1,img/a.nii.gz,img/nomask.nii.gz,0.9,abc,,200,X
                P7,A,train,HOLOGIC,L1,img/a.nii.gz
                P8,A,train,HOLOGIC,L1,img/a.nii.gz,,0.9,-1.5,0,70,F
                P8,A,train,HOLOGIC,L1,img/b.nii.gz,,0.9,-1.5,0,70,F
                P9,A,train,,L1,img/a.nii.gz,,0.9,-1.5,0,70,F
                """);
        assertThatThrownBy(() -> ManifestReader.read(csv))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 1 (line 2), field image:")
                            .contains("missing.nii.gz").contains("does not exist"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 2 (line 3), field split:")
                            .contains("training"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 3 (line 4), field dxa_device:")
                            .contains("SIEMENS"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 3 (line 4), field level:")
                            .contains("L9"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 4 (line 5), field bmd:")
                            .contains("3.1").contains("physical range"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 5 (line 6), field label:")
                            .contains("contradicts"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 6 (line 7), field mask:"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 6 (line 7), field t_score:")
                            .contains("abc"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 6 (line 7), field label:")
                            .contains("required for split test"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).isEqualTo("row 6 (line 7), field age: 200 years is outside 0..120"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 6 (line 7), field sex:"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 7 (line 8)")
                            .contains("6 fields"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 9 (line 10), field level:")
                            .contains("twice").contains("row 8"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("row 10 (line 11), field dxa_device:")
                            .contains("BMD"));
                    assertThat(e.getMessage()).contains(csv.toString());
                });
    }

    @Test
    void headerAndFileProblems() throws IOException {
        Path noLabel = Files.writeString(dir.resolve("h.csv"), "patient_id,site,split,dxa_device,level,image\n");
        assertThatThrownBy(() -> ManifestReader.read(noLabel)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("line 1").hasMessageContaining("'label'");
        Path empty = Files.writeString(dir.resolve("e.csv"), "");
        assertThatThrownBy(() -> ManifestReader.read(empty)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("header");
        Path onlyHeader = Files.writeString(dir.resolve("o.csv"), HEADER);
        assertThatThrownBy(() -> ManifestReader.read(onlyHeader)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("no rows");
        assertThatThrownBy(() -> ManifestReader.read(dir.resolve("nope.csv"))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("nope.csv").hasMessageContaining("cannot be read");
        Path unchecked = manifest("P1,A,train,HOLOGIC,L1,img/missing.nii.gz,,0.75,-2.9,1,71,F\n");
        assertThat(ManifestReader.read(unchecked, false).size()).isEqualTo(1);
    }
}
