import { EmptyState } from '@/components/ui/states';

export default function NotFound() {
  return (
    <div className="card">
      <EmptyState title="Not found">
        Nothing by that name in this project. It may have been deleted, or the link is mistyped.
      </EmptyState>
    </div>
  );
}
