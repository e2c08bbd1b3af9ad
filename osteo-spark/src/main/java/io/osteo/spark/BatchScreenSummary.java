package io.osteo.spark;

import com.google.gson.GsonBuilder;

/**
 * What one batch screening run did: studies in the list, screened and failed by this run, skipped
 * because an earlier run on the same output folder already did them, and the throughput.
 *
 * @param studies studies in the list
 * @param screened studies screened by this run (a report each in {@code reports.jsonl})
 * @param failed studies this run could not screen (a row each in {@code errors.csv})
 * @param alreadyDone studies skipped because an earlier run screened or failed them
 * @param failedEarlier of {@code alreadyDone}, those an earlier run could not screen
 * @param seconds wall time of the run, from reading the list to the last commit
 * @param studiesPerSecond (screened + failed) / seconds of the screening phase
 * @param screeningSeconds wall time of the screening and writing phase only
 * @param master the Spark master the run used
 * @param screener identity of the screener ("hu-threshold hu-threshold-L1 0.1.0 cpu (no model)")
 * @param out the output folder
 */
public record BatchScreenSummary(long studies, long screened, long failed, long alreadyDone, long failedEarlier,
        double seconds, double studiesPerSecond, double screeningSeconds, String master, String screener, String out) {

    /** 0 when every study of the list has a report, 3 when some could not be screened (now or earlier). */
    public int exitCode() {
        return failed + failedEarlier > 0 ? 3 : 0;
    }

    /** This summary as pretty-printed JSON. */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(this);
    }
}
