package io.osteo.api.io.dicom;

import java.util.Locale;

/** The DICOM attribute tags this reader uses, as {@code (group << 16) | element}. */
final class Tags {
    static final int TRANSFER_SYNTAX_UID = 0x00020010;
    static final int SOP_CLASS_UID = 0x00080016;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int MODALITY = 0x00080060;
    static final int SERIES_DESCRIPTION = 0x0008103E;
    static final int SLICE_THICKNESS = 0x00180050;
    static final int SPACING_BETWEEN_SLICES = 0x00180088;
    static final int GANTRY_TILT = 0x00181120;
    static final int STUDY_INSTANCE_UID = 0x0020000D;
    static final int SERIES_INSTANCE_UID = 0x0020000E;
    static final int SERIES_NUMBER = 0x00200011;
    static final int INSTANCE_NUMBER = 0x00200013;
    static final int IMAGE_POSITION_PATIENT = 0x00200032;
    static final int IMAGE_ORIENTATION_PATIENT = 0x00200037;
    static final int SAMPLES_PER_PIXEL = 0x00280002;
    static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int PIXEL_SPACING = 0x00280030;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int BITS_STORED = 0x00280101;
    static final int HIGH_BIT = 0x00280102;
    static final int PIXEL_REPRESENTATION = 0x00280103;
    static final int PIXEL_PADDING_VALUE = 0x00280120;
    static final int RESCALE_INTERCEPT = 0x00281052;
    static final int RESCALE_SLOPE = 0x00281053;
    static final int PIXEL_DATA = 0x7FE00010;

    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private Tags() {
    }

    /** "(0020,0032)" */
    static String hex(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }

    /** "ImagePositionPatient (0020,0032)" for the tags above, else the hex form. */
    static String name(int tag) {
        String n = switch (tag) {
            case IMAGE_POSITION_PATIENT -> "ImagePositionPatient";
            case IMAGE_ORIENTATION_PATIENT -> "ImageOrientationPatient";
            case PIXEL_SPACING -> "PixelSpacing";
            case RESCALE_SLOPE -> "RescaleSlope";
            case RESCALE_INTERCEPT -> "RescaleIntercept";
            case ROWS -> "Rows";
            case COLUMNS -> "Columns";
            case BITS_ALLOCATED -> "BitsAllocated";
            case BITS_STORED -> "BitsStored";
            case HIGH_BIT -> "HighBit";
            case PIXEL_REPRESENTATION -> "PixelRepresentation";
            case SAMPLES_PER_PIXEL -> "SamplesPerPixel";
            case NUMBER_OF_FRAMES -> "NumberOfFrames";
            case INSTANCE_NUMBER -> "InstanceNumber";
            case SLICE_THICKNESS -> "SliceThickness";
            case SPACING_BETWEEN_SLICES -> "SpacingBetweenSlices";
            case GANTRY_TILT -> "GantryDetectorTilt";
            case PIXEL_PADDING_VALUE -> "PixelPaddingValue";
            case SERIES_NUMBER -> "SeriesNumber";
            default -> null;
        };
        return n == null ? hex(tag) : n + " " + hex(tag);
    }
}
