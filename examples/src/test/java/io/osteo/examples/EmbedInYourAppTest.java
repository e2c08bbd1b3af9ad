package io.osteo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README snippet runs as written: model directory + CT + label map in, decision and JSON out. */
class EmbedInYourAppTest {

    @TempDir
    Path tmp;

    @Test
    void readmeSnippetScreensTheRealCt() {
        Path model = UntrainedModel.write(tmp.resolve("model"));
        Path data = Path.of(System.getProperty("osteo.shared.dir"), "data", "totalsegmentator");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EmbedInYourApp.main(new String[] {model.toString(), data.resolve("example_ct_sm.nii.gz").toString(),
                data.resolve("example_seg.nii.gz").toString()});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).matches("(?s)(POSITIVE|NEGATIVE)\\n\\{.*\"schemaVersion\": \"" + io.osteo.api.screening.ScreeningReport.SCHEMA_VERSION + "\".*")
                .contains("\"name\": \"untrained-example\"").contains("PARTIAL_AT_SCAN_EDGE");
    }

    @Test
    void readmeShowsTheWholeCompiledFileWithItsImports() throws Exception {
        Path project = Path.of("").toAbsolutePath().getParent(); // examples/ -> the checkout
        String readme = java.nio.file.Files.readString(project.resolve("README.md"), StandardCharsets.UTF_8);
        String source = java.nio.file.Files.readString(project.resolve(
                "examples/src/main/java/io/osteo/examples/EmbedInYourApp.java"), StandardCharsets.UTF_8);
        String body = source.substring(source.indexOf("import ")).strip();
        assertThat(readme).contains("```java\n" + body + "\n```");
    }
}
