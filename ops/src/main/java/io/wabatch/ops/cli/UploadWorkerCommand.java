package io.wabatch.ops.cli;

import io.wabatch.upload.UploadWorkerMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wabatch upload-worker}: the upload worker process (configured by WABATCH_* variables). */
@Command(name = "upload-worker", mixinStandardHelpOptions = true,
        description = "Run an upload worker; configuration from WABATCH_* environment variables or a properties file.")
final class UploadWorkerCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", description = "Optional properties file.")
    String configFile;

    @Override
    public Integer call() throws Exception {
        UploadWorkerMain.main(configFile == null ? new String[0] : new String[] {configFile});
        return 0;
    }
}
