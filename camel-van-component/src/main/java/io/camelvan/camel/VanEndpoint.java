package io.camelvan.camel;

import io.camelvan.camel.http.HttpConsumer;
import io.camelvan.camel.http.HttpProducer;
import io.camelvan.camel.tcp.TcpConsumer;
import io.camelvan.camel.tcp.TcpProducer;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategyAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Send and receive messages, HTTP requests and TCP flows across a Camel VAN (Virtual Application Network) of AMQP
 * 1.0 routers, by address, from any site.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "van", title = "Camel VAN", syntax = "van:address",
             category = { Category.MESSAGING, Category.NETWORKING, Category.HTTP }, headersClass = VanConstants.class)
public class VanEndpoint extends DefaultEndpoint
    implements MultipleConsumersSupport, HeaderFilterStrategyAware, EndpointServiceLocation {

    @UriPath(description = "What to reach: ADDRESS for messages, http:KEY[/path] for HTTP requests routed by KEY,"
        + " tcp:KEY for TCP flows routed by KEY.")
    @Metadata(required = true)
    private String address;

    @UriParam(label = "consumer", defaultValue = "1",
              description = "How many threads receive at once; for van:tcp, how many flows are served at once.")
    private int concurrentConsumers = 1;
    @UriParam(label = "consumer", defaultValue = "100",
              description = "Credit: how many messages each receiving thread lets the router send ahead of processing.")
    private int prefetch = 100;
    @UriParam(label = "consumer", defaultValue = "false",
              description = "On a failed exchange, reject the message (it is dropped, and the sender sees an error)"
                  + " instead of releasing it (the sender sends it again, maybe to another consumer).")
    private boolean rejectOnError;
    @UriParam(label = "consumer", defaultValue = "true",
              description = "van:tcp: write each exchange's resulting body back on the flow, framed by the codec.")
    private boolean sync = true;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Send pre-settled (at most once) and do not wait for the outcome.")
    private boolean fireAndForget;
    @UriParam(label = "producer", defaultValue = "5",
              description = "How many times a message that comes back released or modified (its consumer failed or"
                  + " went away) is sent again before the exchange fails.")
    private int maxResends = 5;
    @UriParam(label = "producer", defaultValue = "200",
              description = "Milliseconds before the first resend of a released or modified message; each further"
                  + " resend waits twice as long (at most 10 s).")
    private long resendDelay = 200;
    @UriParam(label = "producer", defaultValue = "true",
              description = "van:http: fail the exchange with VanHttpOperationFailedException when the response status"
                  + " is 400 or more.")
    private boolean throwExceptionOnFailure = true;

    @UriParam(defaultValue = "30000", javaType = "java.time.Duration",
              description = "Milliseconds to wait for a message's outcome, a reply, or credit to send.")
    private long requestTimeout = 30000;
    @UriParam(label = "tcp", defaultValue = "textline", enums = "textline,length,raw",
              description = "van:tcp: how the byte stream is cut into exchanges.")
    private TcpCodecKind codec = TcpCodecKind.textline;
    @UriParam(label = "tcp", defaultValue = "1048576",
              description = "van:tcp: the longest frame (line or length-prefixed block) accepted, in bytes.")
    private int maxFrameLength = 1 << 20;
    @UriParam(description = "A router for this endpoint instead of the component's connection: amqp://host:port, or"
        + " amqps://host:port for TLS. The endpoint then connects to it (one connection for all the endpoints that"
        + " name the same router and credentials); username, password and sslContextParameters default to the"
        + " component's.")
    private String url;
    @UriParam(label = "security", secret = true, description = "User name for SASL PLAIN at the endpoint's url.")
    private String username;
    @UriParam(label = "security", secret = true, description = "Password for SASL PLAIN at the endpoint's url.")
    private String password;
    @UriParam(label = "security", description = "TLS for an amqps:// endpoint url: key and trust material.")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "advanced",
              description = "Which headers travel as AMQP application-properties (and which received ones become headers).")
    private HeaderFilterStrategy headerFilterStrategy;

    private final VanAddress parsedAddress;

    VanEndpoint(String uri, VanComponent component, VanAddress parsedAddress) {
        super(uri, component);
        this.parsedAddress = parsedAddress;
        this.address = parsedAddress.kind() == VanAddress.Kind.MESSAGE ? parsedAddress.key()
            : parsedAddress.kind().name().toLowerCase() + ":" + parsedAddress.key() + parsedAddress.path();
    }

    @Override
    public VanComponent getComponent() {
        return (VanComponent) super.getComponent();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        requirePositive("concurrentConsumers", concurrentConsumers);
        requirePositive("prefetch", prefetch);
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("maxFrameLength", maxFrameLength);
        if (resendDelay < 0) {
            throw new IllegalArgumentException(getEndpointUri() + ": resendDelay must be 0 or more, not " + resendDelay);
        }
        if (maxResends < 0) {
            throw new IllegalArgumentException(getEndpointUri() + ": maxResends must be 0 or more, not " + maxResends);
        }
        if (url == null && (username != null || password != null || sslContextParameters != null)) {
            throw new IllegalArgumentException(getEndpointUri() + ": username, password and sslContextParameters are"
                + " for the router named by the endpoint's url; set url too, or configure them on the component");
        }
        if (url != null) {
            RouterUrl.parse(url); // a malformed url fails here, when the route starts
        }
    }

    private void requirePositive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(getEndpointUri() + ": " + option + " must be 1 or more, not " + value);
        }
    }

    @Override
    public Producer createProducer() throws Exception {
        return switch (parsedAddress.kind()) {
            case MESSAGE -> new MessageProducer(this);
            case HTTP -> new HttpProducer(this);
            case TCP -> new TcpProducer(this);
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = switch (parsedAddress.kind()) {
            case MESSAGE -> new MessageConsumer(this, processor);
            case HTTP -> new HttpConsumer(this, processor);
            case TCP -> new TcpConsumer(this, processor);
        };
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isMultipleConsumersSupported() {
        // several consumers of one address share its messages, like consumers on different sites do
        return true;
    }

    @Override
    public String getServiceUrl() {
        return url != null ? url : getComponent().routerUrl();
    }

    @Override
    public String getServiceProtocol() {
        return "amqp";
    }

    /** The parsed address. */
    public VanAddress address() {
        return parsedAddress;
    }

    /** The connection to the router: the endpoint's own when it names one ({@code url}), else the component's. */
    public RouterConnection routerConnection() {
        return url == null ? getComponent().routerConnection()
            : getComponent().routerConnection(url, username, password, sslContextParameters);
    }

    /** The mapper between Camel and AMQP messages for this endpoint's header filter. */
    /**
     * How this endpoint's whole messages (and HTTP requests and responses) reach the router: in-process when the
     * component embeds the router and the endpoint names no router of its own, else over the AMQP connection.
     */
    public MessageTransport messageTransport() {
        InProcessTransport inProcess = url == null ? getComponent().inProcessTransport() : null;
        return inProcess != null ? inProcess : routerConnection();
    }

    public MessageMapper messageMapper() {
        return new MessageMapper(getHeaderFilterStrategy());
    }

    public String getAddress() {
        return address;
    }

    /** What to reach: ADDRESS, http:KEY[/path] or tcp:KEY. */
    public void setAddress(String address) {
        this.address = address;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    /** How many threads receive at once; for van:tcp, how many flows are served at once. */
    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public int getPrefetch() {
        return prefetch;
    }

    /** Credit: how many messages each receiving thread lets the router send ahead of processing. */
    public void setPrefetch(int prefetch) {
        this.prefetch = prefetch;
    }

    public boolean isRejectOnError() {
        return rejectOnError;
    }

    /** On a failed exchange, reject the message instead of releasing it. */
    public void setRejectOnError(boolean rejectOnError) {
        this.rejectOnError = rejectOnError;
    }

    public boolean isSync() {
        return sync;
    }

    /** van:tcp: write each exchange's resulting body back on the flow. */
    public void setSync(boolean sync) {
        this.sync = sync;
    }

    public boolean isFireAndForget() {
        return fireAndForget;
    }

    /** Send pre-settled (at most once) and do not wait for the outcome. */
    public void setFireAndForget(boolean fireAndForget) {
        this.fireAndForget = fireAndForget;
    }

    public int getMaxResends() {
        return maxResends;
    }

    /** How many times a released or modified message is sent again before the exchange fails. */
    public void setMaxResends(int maxResends) {
        this.maxResends = maxResends;
    }

    public long getResendDelay() {
        return resendDelay;
    }

    /** Milliseconds before the first resend of a released or modified message; doubling each time. */
    public void setResendDelay(long resendDelay) {
        this.resendDelay = resendDelay;
    }

    public boolean isThrowExceptionOnFailure() {
        return throwExceptionOnFailure;
    }

    /** van:http: fail the exchange when the response status is 400 or more. */
    public void setThrowExceptionOnFailure(boolean throwExceptionOnFailure) {
        this.throwExceptionOnFailure = throwExceptionOnFailure;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    /** Milliseconds to wait for a message's outcome, a reply, or credit to send. */
    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public TcpCodecKind getCodec() {
        return codec;
    }

    /** van:tcp: how the byte stream is cut into exchanges. */
    public void setCodec(TcpCodecKind codec) {
        this.codec = codec;
    }

    public int getMaxFrameLength() {
        return maxFrameLength;
    }

    /** van:tcp: the longest frame accepted, in bytes. */
    public void setMaxFrameLength(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    public String getUrl() {
        return url;
    }

    /** A router for this endpoint instead of the component's connection. */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    /** User name for SASL PLAIN at the endpoint's url. */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /** Password for SASL PLAIN at the endpoint's url. */
    public void setPassword(String password) {
        this.password = password;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /** TLS for an amqps:// endpoint url: key and trust material. */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    @Override
    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    /** Which headers travel as AMQP application-properties. */
    @Override
    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }
}
