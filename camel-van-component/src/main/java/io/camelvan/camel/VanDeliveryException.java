package io.camelvan.camel;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

/**
 * A message the network did not take: rejected by its consumer, released or modified more often than the producer
 * resends, or never sent because no consumer became reachable.
 */
public class VanDeliveryException extends CamelExchangeException {

    private static final long serialVersionUID = 1L;

    private final String outcome;

    /** @param outcome {@code rejected}, {@code released}, {@code modified} or {@code no-credit} */
    public VanDeliveryException(String message, String outcome, Exchange exchange) {
        super(message, exchange);
        this.outcome = outcome;
    }

    /** The last outcome: {@code rejected}, {@code released}, {@code modified} or {@code no-credit}. */
    public String getOutcome() {
        return outcome;
    }
}
