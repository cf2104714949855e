import java.lang.reflect.Field;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Runs DynamoDB Local as its own main class would, except that its Jetty connector binds to
 * 127.0.0.1 instead of every interface.
 * DynamoDB Local has no host option and takes any credentials, so on the wildcard address anyone
 * who can reach the machine could read or write the development database.
 *
 * loopback-launcher.ts compiles it against the jar (java -m jdk.compiler/com.sun.tools.javac.Main)
 * and caches the class. Exits with status 3 and a line starting "rapport-cannot-confine:" when
 * this DynamoDB Local build is not shaped as expected, so the caller can tell that apart from an
 * ordinary start failure and fall back to the jar's own main class, with a warning.
 */
public final class LoopbackDynamoDbLocal {
  static final int CANNOT_CONFINE = 3;

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Server server;
    try {
      // The Jetty server is built in the constructor with new Server(port) and kept private.
      Field field = DynamoDBProxyServer.class.getDeclaredField("server");
      field.setAccessible(true);
      server = (Server) field.get(proxy);
    } catch (ReflectiveOperationException | RuntimeException error) {
      cannotConfine("no Jetty server field on DynamoDBProxyServer (" + error + ")");
      return;
    }
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) {
      cannotConfine("the Jetty server has no connectors");
      return;
    }
    for (Connector connector : connectors) {
      if (!(connector instanceof AbstractNetworkConnector network)) {
        cannotConfine("unexpected Jetty connector " + connector.getClass().getName());
        return;
      }
      network.setHost("127.0.0.1");
    }
    // DynamoDBProxyServer.start() swallows SocketExceptions (it prints them and stops); fail loudly instead.
    proxy.start();
    if (!server.isStarted()) {
      System.exit(1);
    }
    proxy.join();
  }

  private static void cannotConfine(String why) {
    System.err.println("rapport-cannot-confine: " + why);
    System.exit(CANNOT_CONFINE);
  }
}
