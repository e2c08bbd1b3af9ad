package io.osteo.api.io.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.api.volume.Volume;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's "DICOM input" snippet, compiled and run on the shared DICOM copy of the real CT. */
class ReadmeDicomSnippetTest {
    @Test
    void readmeSnippetRuns() {
        Path folder = SharedDicomTest.shared("data/dicom/example_ct_sm_explicit_le");
        String uid = DicomSeriesReader.builder().build().scan(folder).get(0).seriesInstanceUid();
        // --- README snippet (folder and UID replaced) ---
        DicomVolume ct = DicomSeriesReader.builder()
                .seriesUid(uid)   // only when the folder holds several
                .build()
                .readSeries(folder);
        Volume hu = ct.volume();                                 // HU on the series' LPS grid
        System.out.println(ct.series().summary());
        // ---
        assertThat(hu.geometry().nz()).isEqualTo(30);
    }
}
