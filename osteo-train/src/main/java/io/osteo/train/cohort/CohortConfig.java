package io.osteo.train.cohort;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of the synthetic multi-site cohort ({@code shared/specs/synthetic-cohort.md}).
 * Immutable; JSON round-trip with {@link #toJson()} and {@link #fromJson(String, CohortConfig)},
 * where the JSON only needs the values that differ from a base configuration (usually a
 * {@link CohortPreset}). Unknown JSON keys are rejected, so a typo cannot silently fall back to a
 * default.
 *
 * @param seed master seed: same seed, same cohort (byte for byte)
 * @param scale factor applied to every site's patient counts (1 = the paper's sizes)
 * @param patch patch geometry
 * @param population ages, sexes, latent BMD distribution, vertebrae per patient
 * @param sites the hospitals (A-D by default)
 * @param anatomy body sizes and level factors
 * @param bone density-to-structure-to-HU physics
 * @param dxa device precision and residual bias
 */
public record CohortConfig(long seed, double scale, PatchSpec patch, PopulationSpec population, List<SiteSpec> sites,
        AnatomySpec anatomy, BoneSpec bone, DxaSpec dxa) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();
    /** Same, with null fields kept, so optional parameters that are off (null) are still known keys. */
    private static final Gson GSON_WITH_NULLS = new GsonBuilder().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().serializeNulls().create();

    public CohortConfig {
        ConfigChecks.range("scale", scale, 1e-6, 100);
        ConfigChecks.present("patch", patch);
        ConfigChecks.present("population", population);
        ConfigChecks.present("anatomy", anatomy);
        ConfigChecks.present("bone", bone);
        ConfigChecks.present("dxa", dxa);
        ConfigChecks.present("sites", sites);
        if (sites.isEmpty()) {
            throw new InvalidInputException("cohort config: sites is empty");
        }
        sites = List.copyOf(sites);
        if (sites.stream().map(SiteSpec::id).distinct().count() != sites.size()) {
            throw new InvalidInputException("cohort config: site ids must be unique");
        }
    }

    /** The default four sites of the spec (paper sizes at scale 1; scanner values are assumptions). */
    static List<SiteSpec> defaultSites() {
        return List.of(
                new SiteSpec("A", DxaDevice.HOLOGIC,
                        new ScannerProfile("scanner 1", 0.6, 15, 1.03, 12, 0.01, 10), 1330, 226, 669, false),
                new SiteSpec("B", DxaDevice.GE_LUNAR,
                        new ScannerProfile("scanner 2", 0.7, 25, 0.94, -22, 0.01, 10), 683, 112, 325, false),
                new SiteSpec("C", DxaDevice.MEDIX,
                        new ScannerProfile("scanner 3", 0.65, 20, 1.06, 26, 0.01, 10), 217, 36, 106, false),
                new SiteSpec("D", DxaDevice.HOLOGIC,
                        new ScannerProfile("scanner 4", 0.75, 30, 0.92, -28, 0.01, 10), 0, 0, 193, true));
    }

    /**
     * The name of the CT scanner profile of a site ("scanner 1"). Sites sharing a name share the
     * scanner (the {@link CohortPreset#STUDY} preset crosses devices with scanners this way).
     *
     * @throws InvalidInputException when no site has this id
     */
    public String scannerOf(String siteId) {
        return sites.stream().filter(s -> s.id().equals(siteId)).findFirst()
                .orElseThrow(() -> new InvalidInputException("cohort config has no site '" + siteId + "' (sites: "
                        + sites.stream().map(SiteSpec::id).toList() + ")"))
                .scanner().name();
    }

    /** A copy with another seed. */
    public CohortConfig withSeed(long newSeed) {
        return new CohortConfig(newSeed, scale, patch, population, sites, anatomy, bone, dxa);
    }

    /** A copy with another scale. */
    public CohortConfig withScale(double newScale) {
        return new CohortConfig(seed, newScale, patch, population, sites, anatomy, bone, dxa);
    }

    /** A copy with another patch geometry. */
    public CohortConfig withPatch(PatchSpec newPatch) {
        return new CohortConfig(seed, scale, newPatch, population, sites, anatomy, bone, dxa);
    }

    /** The full configuration as pretty-printed JSON (every parameter, deterministic order). */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Reads a configuration from JSON whose values override {@code base} field by field (nested
     * objects merge; arrays and the site list replace as a whole).
     *
     * @throws InvalidInputException for malformed JSON, unknown keys or out-of-range values
     */
    public static CohortConfig fromJson(String json, CohortConfig base) {
        JsonElement override;
        try {
            override = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new InvalidInputException("cohort config JSON is malformed: " + e.getMessage(), e);
        }
        if (!override.isJsonObject()) {
            throw new InvalidInputException("cohort config JSON must be an object, got " + override);
        }
        JsonObject merged = GSON_WITH_NULLS.toJsonTree(base).getAsJsonObject();
        merge(merged, override.getAsJsonObject(), "");
        try {
            CohortConfig config = GSON.fromJson(merged, CohortConfig.class);
            return new CohortConfig(config.seed, config.scale, config.patch, config.population, config.sites,
                    config.anatomy, config.bone, config.dxa);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new InvalidInputException("cohort config JSON has a value of the wrong type: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof InvalidInputException) {
                throw e;
            }
            Throwable cause = e.getCause();
            if (cause instanceof InvalidInputException iie) {
                throw iie;
            }
            throw new InvalidInputException("cohort config JSON is invalid: " + e.getMessage(), e);
        }
    }

    private static void merge(JsonObject target, JsonObject override, String prefix) {
        for (Map.Entry<String, JsonElement> e : override.entrySet()) {
            String key = e.getKey();
            JsonElement value = e.getValue();
            if (!target.has(key)) {
                throw new InvalidInputException("cohort config JSON: unknown key '" + prefix + key + "' (known: "
                        + target.keySet() + ")");
            }
            JsonElement existing = target.get(key);
            if (isMapField(key) && existing.isJsonObject() && value.isJsonObject()) {
                // per-device maps: entries merge, so one device can be overridden alone
                for (Map.Entry<String, JsonElement> d : value.getAsJsonObject().entrySet()) {
                    existing.getAsJsonObject().add(DxaDevice.parse(d.getKey()).name(), d.getValue());
                }
            } else if (existing.isJsonObject() && value.isJsonObject()) {
                merge(existing.getAsJsonObject(), value.getAsJsonObject(), prefix + key + ".");
            } else {
                target.add(key, value);
            }
        }
    }

    private static boolean isMapField(String key) {
        return key.equals("precisionCv") || key.equals("residualBias");
    }
}
