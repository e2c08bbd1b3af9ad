package io.osteo.api.io.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The repository's real CT ({@code ../shared/data/totalsegmentator/example_ct_sm.nii.gz}) against
 * its DICOM copies in {@code ../shared/data/dicom/} (explicit VR little endian, and JPEG 2000
 * lossless encoded by GDCM/OpenJPEG, signed 16-bit): the same HU voxel for voxel and the same
 * grid, read from the folder and from one of its files.
 */
class SharedDicomTest {
    static Path shared(String relative) {
        String dir = System.getProperty("osteo.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (run the tests through Maven)");
        }
        Path p = Path.of(dir).resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException("shared test data missing: " + p);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"example_ct_sm_explicit_le", "example_ct_sm_j2k_lossless"})
    void dicomCopiesEqualTheNifti(String folder) {
        Volume nifti = VolumeIo.readVolume(shared("data/totalsegmentator/example_ct_sm.nii.gz"));
        Path dir = shared("data/dicom/" + folder);
        DicomVolume read = DicomSeriesReader.builder().threads(2).build().readSeries(dir);
        Volume dicom = read.volume();
        assertThat(read.series().sliceCount()).isEqualTo(30);
        assertThat(read.series().modality()).isEqualTo("CT");
        ImageGeometry a = nifti.geometry();
        ImageGeometry b = dicom.geometry();
        assertThat(new int[] {b.nx(), b.ny(), b.nz()}).containsExactly(a.nx(), a.ny(), a.nz());
        assertThat(b.spacing()).containsExactly(a.spacing(), within(1e-4));
        assertThat(b.origin()).containsExactly(a.origin(), within(1e-3));
        assertThat(b.direction()).containsExactly(a.direction(), within(1e-6));
        assertThat(dicom.toArray()).isEqualTo(nifti.toArray());
        // the generic entry point and a single file of the series give the same volume
        Volume viaIo = VolumeIo.readVolume(dir.resolve("IM0013.dcm"));
        assertThat(viaIo.toArray()).isEqualTo(nifti.toArray());
        assertThat(viaIo.geometry().sameGrid(b, 0)).isTrue();
    }
}
