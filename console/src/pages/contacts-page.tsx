import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ContactList } from '../../../lib/domain/contact-listing.js';
import { adminApi } from '../admin-api.js';
import { count, QueryState } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';

/** Find contacts by email prefix or exact id; the search is in the address, so it can be shared and gone back to. */
export const ContactsPage = () => {
  const [search, setSearch] = useSearchParams();
  const q = search.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const contacts = useQuery({
    queryKey: ['contacts', q],
    queryFn: () =>
      adminApi(
        ContactList,
        'GET',
        `/admin/contacts?limit=50${q === '' ? '' : `&q=${encodeURIComponent(q)}`}`,
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(typed.trim() === '' ? {} : { q: typed.trim() });
  };
  return (
    <>
      <h1>Contacts</h1>
      <search>
        <form onSubmit={submit} className="search">
          <label htmlFor="contact-search">Email starts with, or contact id</label>
          <input
            id="contact-search"
            type="search"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
          <button type="submit">Search</button>
        </form>
      </search>
      <QueryState query={contacts} what="the contacts">
        {({ contacts: list, next }) =>
          list.length === 0 ? (
            <p>No contact matches.</p>
          ) : (
            <TableScroll label="Contacts found">
              <table>
                <caption>
                  {count(list.length)} contact{list.length === 1 ? '' : 's'}
                  {next === undefined ? '' : ' (the first page)'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">Email consent</th>
                    <th scope="col">Topics</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Orders</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((contact) => (
                    <tr key={contact.id}>
                      <th scope="row">
                        <Link to={`/contacts/${contact.id}`}>{contact.email}</Link>
                      </th>
                      <td>{contact.name ?? '–'}</td>
                      <td>{contact.consent.email.status}</td>
                      <td>{contact.topics.join(', ') || '–'}</td>
                      <td>{contact.customer?.tier ?? '–'}</td>
                      <td>{contact.customer === undefined ? '–' : count(contact.customer.orders)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryState>
    </>
  );
};
