import { Link } from '../lib/router.tsx';

export function NotFoundPage() {
  return (
    <section>
      <h1>页面不存在</h1>
      <p>您访问的页面不存在或已经调整。您可以：</p>
      <ul>
        <li>
          <Link href="/">返回首页，选择经办机构</Link>
        </li>
        <li>使用页面上方的搜索框查找服务事项</li>
      </ul>
    </section>
  );
}
