package org.nnunet.service.testing;

import java.util.concurrent.ThreadLocalRandom;

/** Task names unique per test run: the broker and bucket of .ci/servers.sh keep their content between runs. */
public final class TestTasks {

    private TestTasks() {
    }

    public static String unique(String name) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append((char) ('a' + r.nextInt(26)));
        }
        return String.format("Task%03d_%s%s", 900 + r.nextInt(100), name, suffix);
    }
}
