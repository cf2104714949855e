import { createHash } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledgeOnResource } from './acknowledge.js';
import { consoleSettings } from './console-settings.js';

export interface ConsoleUsersProps {
  /** The console's origin (`https://<host>`): invitations point there, and sign-in returns there. */
  consoleUrl: string;
  /** The managed login's domain prefix (see `managedLoginPrefix`). */
  loginPrefix: string;
  /** Created and invited, in the admin group. */
  adminEmails: readonly string[];
}

/**
 * The console's users: a Cognito user pool nobody signs up to (an admin invites),
 * signing in by email with MFA through Cognito's managed login, one public app
 * client for the console (authorization code with PKCE, no secret), and the role
 * groups the API handlers read from `cognito:groups`.
 */
export class ConsoleUsers extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly groups: ReadonlyMap<string, cognito.UserPoolGroup>;
  readonly redirectUri: string;
  readonly signedOutUri: string;

  constructor(scope: Construct, id: string, props: ConsoleUsersProps) {
    super(scope, id);
    this.redirectUri = `${props.consoleUrl}${consoleSettings.callbackPath}`;
    this.signedOutUri = `${props.consoleUrl}${consoleSettings.signedOutPath}`;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: `${Stack.of(this).stackName}-console`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: consoleSettings.password.minLength,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: consoleSettings.password.temporaryValidity,
      },
      // The console exports and erases personal data; a password alone is not enough.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      userInvitation: {
        emailSubject: 'Your Rapport console account',
        emailBody: `You have been invited to the Rapport console at ${props.consoleUrl}. Sign in with {username} and the temporary password {####}; you will choose a new password and set up an authenticator app.`,
      },
    });

    this.groups = new Map(
      consoleSettings.groups.map((name, precedence) => [
        name,
        this.userPool.addGroup(`Group${name.charAt(0).toUpperCase()}${name.slice(1)}`, {
          groupName: name,
          description: `Rapport console role: ${name}`,
          precedence,
        }),
      ]),
    );

    this.domain = this.userPool.addDomain('ManagedLogin', {
      cognitoDomain: { domainPrefix: props.loginPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'console',
      // A browser keeps no secret; PKCE protects the code exchange instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.redirectUri],
        logoutUrls: [this.signedOutUri],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: consoleSettings.tokens.idAndAccess,
      accessTokenValidity: consoleSettings.tokens.idAndAccess,
      refreshTokenValidity: consoleSettings.tokens.refresh,
    });

    // Managed login shows an error page to a client without a style; this one is Cognito's own.
    new cognito.CfnManagedLoginBranding(this, 'ManagedLoginStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    const adminGroup = this.groups.get(consoleSettings.adminGroup);
    for (const email of props.adminEmails) this.inviteAdmin(email, adminGroup);
    this.acknowledgeNagFindings();
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  get loginUrl(): string {
    return this.domain.baseUrl();
  }

  /**
   * Construct ids come from the address, not its place in the list, so reordering
   * `rapport:adminEmails` replaces nobody; removing an address deletes that user.
   */
  private inviteAdmin(email: string, adminGroup: cognito.UserPoolGroup | undefined): void {
    const id = `Admin${createHash('sha256').update(email).digest('hex').slice(0, 12)}`;
    const user = new cognito.CfnUserPoolUser(this, id, {
      userPoolId: this.userPool.userPoolId,
      username: email,
      desiredDeliveryMediums: ['EMAIL'],
      userAttributes: [
        { name: 'email', value: email },
        // The invitation goes to this address; the operator named it.
        { name: 'email_verified', value: 'true' },
      ],
    });
    const membership = new cognito.CfnUserPoolUserToGroupAttachment(this, `${id}InAdminGroup`, {
      userPoolId: this.userPool.userPoolId,
      groupName: consoleSettings.adminGroup,
      username: email,
    });
    membership.node.addDependency(user);
    if (adminGroup !== undefined) membership.node.addDependency(adminGroup);
  }

  private acknowledgeNagFindings(): void {
    acknowledgeOnResource(this.userPool, {
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection needs the Plus feature plan, billed per user; sign-in already requires MFA and nobody can sign up.',
    });
  }
}
