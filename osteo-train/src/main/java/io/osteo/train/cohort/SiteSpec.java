package io.osteo.train.cohort;

import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;

/**
 * One hospital of the synthetic cohort: its DXA device (which defines the label scale), its CT
 * scanner and its patient counts at scale 1 (the paper's Table 1 sizes).
 *
 * @param id short site id ("A")
 * @param device DXA device whose scale labels this site's vertebrae
 * @param scanner CT scanner profile
 * @param trainPatients labelled training patients at scale 1
 * @param validPatients labelled validation patients at scale 1
 * @param testPatients labelled test patients at scale 1 (split "external" for an external site)
 * @param external true for a test-only site never seen in training
 */
public record SiteSpec(String id, DxaDevice device, ScannerProfile scanner, int trainPatients, int validPatients,
        int testPatients, boolean external) {
    public SiteSpec {
        ConfigChecks.present("site.id", id);
        if (!id.matches("[A-Za-z0-9]+")) {
            throw new InvalidInputException("cohort config: site.id '" + id + "' must be letters and digits only");
        }
        ConfigChecks.present("site " + id + " device", device);
        if (device == DxaDevice.UNKNOWN) {
            throw new InvalidInputException("cohort config: site " + id + " needs a known DXA device, not UNKNOWN");
        }
        ConfigChecks.present("site " + id + " scanner", scanner);
        ConfigChecks.range("site " + id + " trainPatients", trainPatients, 0, 1_000_000);
        ConfigChecks.range("site " + id + " validPatients", validPatients, 0, 1_000_000);
        ConfigChecks.range("site " + id + " testPatients", testPatients, 0, 1_000_000);
        if (external && (trainPatients > 0 || validPatients > 0)) {
            throw new InvalidInputException("cohort config: external site " + id + " must have no train/valid patients");
        }
    }
}
