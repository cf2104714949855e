import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { TemplateList } from '../../../lib/domain/template-answers.js';
import { adminApi } from '../admin-api.js';
import { QueryState } from '../query-state.js';
import { TableScroll } from '../table-scroll.js';

/** Every email template, with its kind, latest version and whether a draft waits. */
export const TemplatesPage = () => {
  const templates = useQuery({
    queryKey: ['templates'],
    queryFn: () => adminApi(TemplateList, 'GET', '/admin/templates'),
  });
  return (
    <>
      <h1>Templates</h1>
      <QueryState query={templates} what="the templates">
        {({ templates: list }) =>
          list.length === 0 ? (
            <p>No templates yet.</p>
          ) : (
            <TableScroll label="Templates">
              <table>
                <caption>Every email template, with its latest version and draft</caption>
                <thead>
                  <tr>
                    <th scope="col">Template</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Version</th>
                    <th scope="col">Draft</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((template) => (
                    <tr key={template.templateId}>
                      <th scope="row">
                        <Link to={`/templates/${encodeURIComponent(template.templateId)}`}>
                          {template.templateId}
                        </Link>
                        <span className="id">{template.subject}</span>
                      </th>
                      <td>{template.kind}</td>
                      <td>{template.latestVersion === 0 ? '–' : `v${template.latestVersion}`}</td>
                      <td>{template.hasDraft ? 'yes' : 'no'}</td>
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
