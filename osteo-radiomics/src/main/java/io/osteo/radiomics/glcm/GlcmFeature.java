package io.osteo.radiomics.glcm;

import io.osteo.api.InvalidInputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The 24 GLCM features of PyRadiomics ({@code radiomics.glcm}), named exactly as PyRadiomics names
 * them (feature {@code original_glcm_Contrast} is {@link #Contrast}), so names round-trip with
 * PyRadiomics output, CSV and JSON without a mapping table. Definitions: PyRadiomics documentation
 * of the glcm module; gray levels i, j are the discretised bin numbers.
 *
 * <p>{@link #isLinear()} marks features that are a linear functional of the per-direction
 * normalised GLCM (value = sum of w(i, j) p(i, j)); voxel maps of those have an exact fast path.
 */
public enum GlcmFeature {
    Autocorrelation(true),
    JointAverage(true),
    ClusterProminence(false),
    ClusterShade(false),
    ClusterTendency(false),
    Contrast(true),
    Correlation(false),
    DifferenceAverage(true),
    DifferenceEntropy(false),
    DifferenceVariance(false),
    JointEnergy(false),
    JointEntropy(false),
    Imc1(false),
    Imc2(false),
    Idm(true),
    MCC(false),
    Idmn(true),
    Id(true),
    Idn(true),
    InverseVariance(true),
    MaximumProbability(false),
    SumAverage(true),
    SumEntropy(false),
    SumSquares(false);

    private final boolean linear;

    GlcmFeature(boolean linear) {
        this.linear = linear;
    }

    /** True when the feature is sum over (i, j) of w(i, j) p(i, j) for a fixed weight w. */
    public boolean isLinear() {
        return linear;
    }

    /** The PyRadiomics name (same as {@link #name()}). */
    public String pyRadiomicsName() {
        return name();
    }

    /** The four texture features of the paper's texture pool, in the paper's order. */
    public static List<GlcmFeature> paperFeatures() {
        return List.of(Autocorrelation, JointAverage, Contrast, DifferenceAverage);
    }

    /** All 24 features, in PyRadiomics documentation order. */
    public static List<GlcmFeature> all() {
        return List.of(values());
    }

    /**
     * Parses a feature name: the PyRadiomics name, case-insensitive, optionally prefixed with
     * {@code original_glcm_} or {@code glcm_}.
     *
     * @throws InvalidInputException naming the unknown feature and the valid names
     */
    public static GlcmFeature parse(String name) {
        if (name == null) {
            throw new InvalidInputException("GLCM feature name is missing");
        }
        String n = name.trim();
        for (String prefix : new String[] {"original_glcm_", "glcm_"}) {
            if (n.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                n = n.substring(prefix.length());
            }
        }
        for (GlcmFeature f : values()) {
            if (f.name().equalsIgnoreCase(n)) {
                return f;
            }
        }
        throw new InvalidInputException("unknown GLCM feature '" + name + "'; known: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** The subset of {@code features} that is linear. */
    public static Set<GlcmFeature> linearOf(Iterable<GlcmFeature> features) {
        Set<GlcmFeature> out = EnumSet.noneOf(GlcmFeature.class);
        for (GlcmFeature f : features) {
            if (f.linear) {
                out.add(f);
            }
        }
        return out;
    }
}
