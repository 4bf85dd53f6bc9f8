package dev.myzoom.support;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * A server or browser a test needs is not on this machine: outside CI the test is skipped with a
 * message naming what is missing; under CI=true, where .ci/run installs everything, it fails.
 */
public final class Missing {
    private Missing() {}

    public static void skipOrFail(String why, String skipping) {
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why + "; skipping " + skipping);
    }
}
