import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { confirmationsStopped } from '../../../lib/domain/confirmation-limits.js';
import { ContactRecord } from '../../../lib/domain/contact-record.js';
import { adminApi } from '../admin-api.js';
import { useMay } from '../caller.js';
import { count, QueryState, when } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';
import { ConfirmationsStopped } from './confirmations-stopped.js';
import { ContactPrivacy } from './contact-privacy.js';

/** One contact: consent per channel and topic, the customer card, the consent log and their journeys. */
export const ContactPage = () => {
  const id = useParams().id ?? '';
  const mayErase = useMay('admin');
  const record = useQuery({
    queryKey: ['contact', id],
    queryFn: () => adminApi(ContactRecord, 'GET', `/admin/contacts/${encodeURIComponent(id)}`),
  });
  return (
    <QueryState query={record} what="the contact">
      {({ contact, suppressed, consentLog, enrollments }) => (
        <>
          <h1>{contact.name ?? contact.email}</h1>
          <dl className="facts">
            <dt>Email</dt>
            <dd>
              {contact.email}
              {suppressed ? ' (suppressed: never mailed)' : ''}
            </dd>
            <dt>Email consent</dt>
            <dd>
              {contact.consent.email.status} since {when(contact.consent.email.changedAt)}
              {confirmationsStopped(contact.unansweredConfirmations) ? (
                <ConfirmationsStopped contactId={contact.id} mayAllow={mayErase} />
              ) : null}
            </dd>
            <dt>SMS consent</dt>
            <dd>
              {contact.consent.sms.status}
              {contact.phone === undefined ? '' : ` (${contact.phone})`}
            </dd>
            <dt>Last engaged</dt>
            <dd>
              {contact.lastEngagedAt === undefined
                ? 'not recorded'
                : `${when(contact.lastEngagedAt)} (an open, click, order, signup or preference save)`}
            </dd>
            <dt>Topics</dt>
            <dd>{contact.topics.join(', ') || 'none'}</dd>
            <dt>Time zone</dt>
            <dd>{contact.timeZone ?? 'the deployment’s default'}</dd>
          </dl>
          <h2>Customer card</h2>
          {contact.customer === undefined ? (
            <p>No orders yet.</p>
          ) : (
            <>
              <dl className="facts">
                <dt>Tier</dt>
                <dd>{contact.customer.tier ?? '–'}</dd>
                <dt>RFM</dt>
                <dd>{contact.customer.rfm?.segment ?? '–'}</dd>
                <dt>Orders</dt>
                <dd>
                  {count(contact.customer.orders)}, {contact.customer.revenue.toFixed(2)}{' '}
                  {contact.customer.currency ?? ''}
                </dd>
                <dt>Predicted lifetime value</dt>
                <dd>{contact.customer.predictedClv?.toFixed(2) ?? '–'}</dd>
                <dt>Churn risk</dt>
                <dd>{contact.customer.churnRisk?.toFixed(2) ?? '–'}</dd>
                <dt>Last order</dt>
                <dd>{when(contact.customer.lastPurchaseAt)}</dd>
              </dl>
              {contact.customer.ownedProducts.length === 0 ? null : (
                <TableScroll label="Owned products">
                  <table>
                    <caption>Owned products</caption>
                    <thead>
                      <tr>
                        <th scope="col">Product</th>
                        <th scope="col">Bought</th>
                        <th scope="col">Replacement due</th>
                      </tr>
                    </thead>
                    <tbody>
                      {contact.customer.ownedProducts.map((owned) => (
                        <tr key={`${owned.sku}-${owned.purchasedAt}`}>
                          <th scope="row">{owned.name ?? owned.sku}</th>
                          <td>{when(owned.purchasedAt)}</td>
                          <td>{owned.replacementDueAt ?? '–'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )}
            </>
          )}
          <h2>Journeys</h2>
          {enrollments.length === 0 ? (
            <p>Not in any journey.</p>
          ) : (
            <ul>
              {enrollments.map((enrollment) => (
                <li key={enrollment.id}>
                  {enrollment.journeyId} v{enrollment.journeyVersion}: {enrollment.status}
                  {enrollment.currentNode === undefined ? '' : `, at ${enrollment.currentNode}`}
                </li>
              ))}
            </ul>
          )}
          {mayErase ? <ContactPrivacy contactId={contact.id} email={contact.email} /> : null}
          <h2>Consent log</h2>
          <TableScroll label="Consent log">
            <table>
              <caption>Every consent change, newest last</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Change</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {consentLog.map((entry) => (
                  <tr key={entry.id}>
                    <th scope="row">{when(entry.at)}</th>
                    <td>{entry.channel}</td>
                    <td>
                      {entry.action}
                      {entry.topics.length === 0 ? '' : ` (${entry.topics.join(', ')})`}
                    </td>
                    <td>{entry.source.kind}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </QueryState>
  );
};
