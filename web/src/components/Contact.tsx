/** Phone numbers, e-mail addresses and the phone/fax/e-mail rows of a contact card. */

export function Tel({ n }: { n: string }) {
  return <a href={`tel:${n.replace(/[^\d-]/g, '')}`}>{n}</a>;
}

export function Phones({ list }: { list: string[] }) {
  return (
    <>
      {list.map((p, i) => (
        <span key={p}>
          {i > 0 && '、'}
          <Tel n={p} />
        </span>
      ))}
    </>
  );
}

export function ContactRows({ phones, faxes, emails }: { phones: string[]; faxes: string[]; emails: string[] }) {
  return (
    <>
      {phones.length > 0 && (
        <>
          <dt>电话</dt>
          <dd>
            <Phones list={phones} />
          </dd>
        </>
      )}
      {faxes.length > 0 && (
        <>
          <dt>传真</dt>
          <dd>{faxes.join('、')}</dd>
        </>
      )}
      {emails.length > 0 && (
        <>
          <dt>邮箱</dt>
          <dd>
            {emails.map((e, i) => (
              <span key={e}>
                {i > 0 && '、'}
                <a href={`mailto:${e}`}>{e}</a>
              </span>
            ))}
          </dd>
        </>
      )}
    </>
  );
}
