package dev.coco4j.sev.abi;

/**
 * An SEV firmware version major.minor.build, as reported in CURRENT_* and COMMITTED_* (report v3+; zero in v2).
 *
 * @param major major version
 * @param minor minor version
 * @param build build number
 */
public record FirmwareVersion(int major, int minor, int build) {
    /**
     * major &lt;&lt; 8 | minor, as go-sev-guest's MinimumVersion compares it.
     *
     * @return major and minor packed into one comparable int; the build number is not included
     */
    public int apiVersion() {
        return major << 8 | minor;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + build;
    }
}
