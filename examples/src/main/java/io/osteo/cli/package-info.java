/** The {@code osteo} command line (picocli): one class per subcommand, registered in {@link io.osteo.cli.OsteoCli}. */
package io.osteo.cli;
