package io.osteo.spark.input;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.Study;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One row of a study list: where a study's CT and vertebra label map are and how to read them.
 * Paths are absolute (a list's relative paths are resolved against the list's folder when read).
 *
 * @param studyId the study's identifier (unique in a list; the key of resume)
 * @param ct CT path in HU (anything {@link VolumeIo} reads)
 * @param seg vertebra label map on the CT's grid
 * @param labelScheme totalsegmentator, verse or binary
 * @param level the vertebra of a binary mask (T1..L6), or null
 * @param sex M/F, or null when unknown
 */
public record StudyEntry(String studyId, String ct, String seg, String labelScheme, String level, String sex)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public StudyEntry {
        Objects.requireNonNull(studyId, "studyId");
    }

    /**
     * Reads the images and builds the study, as {@code osteo screen} does.
     *
     * @throws InvalidInputException (or a subtype such as a volume format error) naming the study
     *     or file and the problem
     */
    public Study toStudy() {
        if (ct == null) {
            throw new InvalidInputException("study '" + studyId + "': no ct path in the study list");
        }
        if (seg == null) {
            throw new InvalidInputException("study '" + studyId + "': no seg path in the study list");
        }
        LabelScheme scheme = LabelScheme.parse(labelScheme == null ? "totalsegmentator" : labelScheme,
                level == null ? null : VertebraLevel.parse(level));
        Volume volume = VolumeIo.readVolume(Path.of(ct));
        LabelMap labels = VolumeIo.readLabels(Path.of(seg));
        Study study = Study.of(studyId, volume, labels, scheme);
        return sex == null ? study : study.withSex(Sex.parse(sex));
    }
}
