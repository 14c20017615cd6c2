package io.camelvan.router.cli;

import io.camelvan.router.pki.LinkCredentials;

/** What {@code token redeem} and {@code link create} share: naming and costing the new link, and saying what was done. */
final class LinkCommands {

    private LinkCommands() {
    }

    static void requireCost(Integer cost) {
        if (cost != null && cost < 1) {
            throw new UsageException("--cost: a link's cost must be at least 1, not " + cost);
        }
    }

    /** The credentials as the link to add: under {@code name}, at {@code cost} when given. */
    static LinkCredentials renamed(LinkCredentials credentials, String name, Integer cost) {
        return new LinkCredentials(name, credentials.host(), credentials.port(), cost != null ? cost : credentials.cost(),
                credentials.certificate(), credentials.key(), credentials.cas());
    }

    static String linked(String site, LinkCredentials link) {
        return "linked to site " + site + " at " + link.host() + ":" + link.port() + " as link '" + link.name()
                + "'; a running router picks the link up within a few seconds";
    }
}
