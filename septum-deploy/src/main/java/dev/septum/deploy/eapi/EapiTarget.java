package dev.septum.deploy.eapi;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * An EOS switch reached over eAPI: its HTTPS address, its own certificate (pinned: the only one
 * trusted) and the name of the environment variable that holds {@code user:password}. Only the
 * variable's name is configuration; the secret is read when connecting and never stored.
 *
 * @param device the device's name in the policy, for messages
 */
public record EapiTarget(String device, URI url, String certificatePem, String credentialsEnv) {
    private static final Pattern VARIABLE = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");

    public EapiTarget {
        if (!"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("eAPI address '" + url + "' is not https://host[:port]; eAPI runs over HTTPS only");
        }
        if (!VARIABLE.matcher(credentialsEnv).matches()) {
            throw new IllegalArgumentException("'" + credentialsEnv + "' is not an environment variable name; use e.g. SEPTUM_EAPI_SW1");
        }
    }

    public String describe() {
        return "switch " + device + " (" + url + ")";
    }
}
